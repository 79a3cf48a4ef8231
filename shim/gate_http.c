/* gate_http.c - the gate's HTTP/1.1 server (see gate_http.h). */
#include "gate_http.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define GATE_QUEUE 64              /* accepted connections waiting for a worker */
#define GATE_IDLE_MS 30000         /* keep-alive connection without a request */
#define GATE_SLICE_MS 200          /* how often a waiting worker looks at stop / queue */
#define GATE_SEND_TIMEOUT_S 60     /* a client that stops reading is dropped */
#define GATE_ACCEPT_JSON "application/vnd.pypi.simple.v1+json"

#define SETERR(...) ((void)(err && errlen ? snprintf(err, errlen, __VA_ARGS__) : 0))

struct pv_gate_srv {
	pv_gate_handler handle;
	void *ud;
	int lfd, stop_r, stop_w;
	pthread_t acceptor, workers[PV_GATE_WORKERS];
	size_t nworkers;
	bool acceptor_started;

	pthread_mutex_t lock;     /* the queue and stop */
	pthread_cond_t qcond;     /* queue not empty, or stop */
	pthread_cond_t readycond; /* a thread is up */
	size_t ready;             /* threads that are up (waiting for work) */
	bool stop;
	int queue[GATE_QUEUE];
	size_t qhead, qlen;
};

/* ---------------- connections: reading requests ---------------- */

struct pv_gate_conn {
	struct pv_gate_srv *g;
	int fd;
	char buf[PV_GATE_HDR_MAX + 1];
	size_t have;      /* bytes in buf (a pipelined next request may follow) */
};

static bool queue_waiting(struct pv_gate_srv *g)
{
	pthread_mutex_lock(&g->lock);
	bool w = g->qlen > 0;
	pthread_mutex_unlock(&g->lock);
	return w;
}

static bool stopping(struct pv_gate_srv *g)
{
	pthread_mutex_lock(&g->lock);
	bool s = g->stop;
	pthread_mutex_unlock(&g->lock);
	return s;
}

/* Wait until fd is readable: 1 readable, 0 give up (stop, idle too long,
 * or another connection is waiting while this one sits idle). */
static int wait_readable(struct pv_gate_conn *c)
{
	int waited = 0;
	for (;;) {
		struct pollfd p[2] = {{.fd = c->fd, .events = POLLIN}, {.fd = c->g->stop_r, .events = POLLIN}};
		int r = poll(p, 2, GATE_SLICE_MS);
		if (r < 0 && errno != EINTR)
			return 0;
		if (r > 0 && p[1].revents)
			return 0;
		if (r > 0 && p[0].revents)
			return 1;
		waited += GATE_SLICE_MS;
		/* An idle keep-alive connection yields its worker to a waiting one
		 * (pip reconnects); a half-sent request gets the full time. */
		if (waited >= GATE_IDLE_MS || (c->have == 0 && queue_waiting(c->g)))
			return 0;
	}
}

static bool header_is(const char *line, const char *name, const char **val)
{
	size_t n = strlen(name);
	if (strncasecmp(line, name, n) != 0 || line[n] != ':')
		return false;
	const char *v = line + n + 1;
	while (*v == ' ' || *v == '\t')
		v++;
	*val = v;
	return true;
}

/* Parse the headers block (NUL-terminated, lines split on CRLF). Returns
 * 0, or an HTTP status to answer with (the connection is then closed). */
static int parse_head(char *head, struct pv_gate_req *r)
{
	char *save = NULL;
	char *line = strtok_r(head, "\r\n", &save);
	if (!line)
		return 400;
	char *sp1 = strchr(line, ' ');
	char *sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
	if (!sp1 || !sp2 || strchr(sp2 + 1, ' '))
		return 400;
	*sp1 = *sp2 = '\0';
	r->target = sp1 + 1;
	const char *ver = sp2 + 1;
	if (strcmp(ver, "HTTP/1.1") != 0 && strcmp(ver, "HTTP/1.0") != 0)
		return 505;
	r->close = strcmp(ver, "HTTP/1.0") == 0; /* no keep-alive negotiation for 1.0 */
	r->head = strcmp(line, "HEAD") == 0;
	if (!r->head && strcmp(line, "GET") != 0)
		return 405;
	while ((line = strtok_r(NULL, "\r\n", &save)) != NULL) {
		const char *v;
		if (header_is(line, "Accept", &v))
			r->json = r->json || strcasestr(v, GATE_ACCEPT_JSON) != NULL;
		else if (header_is(line, "Connection", &v))
			r->close = r->close || strcasestr(v, "close") != NULL;
		else if (header_is(line, "Transfer-Encoding", &v))
			return 400; /* GET has no body; we do not read one */
		else if (header_is(line, "Content-Length", &v) && strcmp(v, "0") != 0)
			return 400;
	}
	return 0;
}

/* Read one request head into c->buf. 1 got one (*hlen = bytes of the head
 * including the blank line), 0 connection done, or an HTTP error status. */
static int read_head(struct pv_gate_conn *c, size_t *hlen)
{
	for (;;) {
		c->buf[c->have] = '\0';
		char *end = strstr(c->buf, "\r\n\r\n");
		if (end) {
			*hlen = (size_t)(end - c->buf) + 4;
			return 1;
		}
		if (memchr(c->buf, '\0', c->have))
			return 400;
		if (c->have >= PV_GATE_HDR_MAX)
			return 431;
		if (!wait_readable(c))
			return 0;
		ssize_t n = recv(c->fd, c->buf + c->have, PV_GATE_HDR_MAX - c->have, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 0;
		c->have += (size_t)n;
	}
}

/* ---------------- connections: writing responses ---------------- */

static int send_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static const char *status_text(int st)
{
	switch (st) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 431: return "Request Header Fields Too Large";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	case 505: return "HTTP Version Not Supported";
	default: return "Error";
	}
}

int pv_gate_respond(struct pv_gate_conn *c, const struct pv_gate_req *r, int st, const char *ctype, const void *body,
                   size_t len)
{
	char head[512];
	int n = snprintf(head, sizeof head,
	                 "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
	                 "Cache-Control: no-store\r\nConnection: %s\r\n\r\n",
	                 st, status_text(st), ctype, len, r->close ? "close" : "keep-alive");
	if (n < 0 || (size_t)n >= sizeof head || send_all(c->fd, head, (size_t)n) != 0)
		return -1;
	if (!r->head && len && send_all(c->fd, body, len) != 0)
		return -1;
	return 0;
}

int pv_gate_respond_err(struct pv_gate_conn *c, const struct pv_gate_req *r, int st, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(msg, sizeof msg - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	size_t len = strlen(msg);
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)msg[i] < 0x20 || (unsigned char)msg[i] > 0x7e)
			msg[i] = '?';
	msg[len++] = '\n';
	return pv_gate_respond(c, r, st, "text/plain; charset=utf-8", msg, len);
}

/* Serve requests on one connection until it closes, errs, idles or stop. */
static void serve_conn(struct pv_gate_srv *g, int fd)
{
	struct pv_gate_conn *c = malloc(sizeof *c);
	if (!c)
		return;
	c->g = g;
	c->fd = fd;
	c->have = 0;
	for (;;) {
		size_t hlen = 0;
		int rc = read_head(c, &hlen);
		if (rc == 0)
			break;
		struct pv_gate_req r = {.close = true};
		if (rc != 1) {
			pv_gate_respond_err(c, &r, rc, "bad request");
			break;
		}
		char head[PV_GATE_HDR_MAX + 1];
		memcpy(head, c->buf, hlen);
		head[hlen] = '\0';
		memmove(c->buf, c->buf + hlen, c->have - hlen); /* a pipelined request stays */
		c->have -= hlen;
		memset(&r, 0, sizeof r);
		int st = parse_head(head, &r);
		if (st) {
			r.close = true;
			pv_gate_respond_err(c, &r, st, "bad request");
			break;
		}
		g->handle(g->ud, c, &r);
		if (r.close || stopping(g))
			break;
	}
	free(c);
}

/* ---------------- threads ---------------- */

/* This thread is up (start_threads waits for every one). */
static void mark_ready(struct pv_gate_srv *g)
{
	pthread_mutex_lock(&g->lock);
	g->ready++;
	pthread_cond_broadcast(&g->readycond);
	pthread_mutex_unlock(&g->lock);
}

/* A worker takes accepted connections off the queue, one at a time. */
static void *worker_main(void *arg)
{
	struct pv_gate_srv *g = arg;
	mark_ready(g);
	for (;;) {
		pthread_mutex_lock(&g->lock);
		while (!g->stop && g->qlen == 0)
			pthread_cond_wait(&g->qcond, &g->lock);
		if (g->stop) {
			pthread_mutex_unlock(&g->lock);
			return NULL;
		}
		int fd = g->queue[g->qhead];
		g->qhead = (g->qhead + 1) % GATE_QUEUE;
		g->qlen--;
		pthread_mutex_unlock(&g->lock);
		serve_conn(g, fd);
		close(fd);
	}
}

/* Accept and queue; a full queue closes the connection (the client retries). */
static void *acceptor_main(void *arg)
{
	struct pv_gate_srv *g = arg;
	mark_ready(g);
	for (;;) {
		struct pollfd p[2] = {{.fd = g->lfd, .events = POLLIN}, {.fd = g->stop_r, .events = POLLIN}};
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return NULL;
		}
		if (p[1].revents)
			return NULL;
		int fd = accept4(g->lfd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0) {
			/* EMFILE and friends: back off instead of spinning (the
			 * connection stays in the backlog); stop still wakes us. */
			struct pollfd sp = {.fd = g->stop_r, .events = POLLIN};
			if (errno != EINTR && errno != ECONNABORTED)
				(void)poll(&sp, 1, 50);
			continue;
		}
		struct timeval tv = {.tv_sec = GATE_SEND_TIMEOUT_S};
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
		/* Headers and body go out in separate sends: without this, Nagle's
		 * algorithm holds the body back until the client acknowledges the
		 * headers (a delayed ACK: ~40 ms on every response). */
		int one = 1;
		(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		pthread_mutex_lock(&g->lock);
		bool queued = !g->stop && g->qlen < GATE_QUEUE;
		if (queued) {
			g->queue[(g->qhead + g->qlen) % GATE_QUEUE] = fd;
			g->qlen++;
			pthread_cond_signal(&g->qcond);
		}
		pthread_mutex_unlock(&g->lock);
		if (!queued)
			close(fd);
	}
}

/* ---------------- start / stop ---------------- */

static int listen_loopback(struct pv_gate_srv *g, unsigned *port, char *err, size_t errlen)
{
	g->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (g->lfd < 0) {
		SETERR("gate: socket: %s", strerror(errno));
		return -1;
	}
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t al = sizeof a;
	if (bind(g->lfd, (struct sockaddr *)&a, sizeof a) != 0 || listen(g->lfd, 128) != 0 ||
	    getsockname(g->lfd, (struct sockaddr *)&a, &al) != 0) {
		SETERR("gate: cannot listen on 127.0.0.1: %s", strerror(errno));
		return -1;
	}
	*port = ntohs(a.sin_port);
	return 0;
}


static int start_threads(struct pv_gate_srv *g, char *err, size_t errlen)
{
	for (size_t i = 0; i < PV_GATE_WORKERS; i++) {
		if (pthread_create(&g->workers[i], NULL, worker_main, g) != 0) {
			SETERR("gate: cannot start a thread");
			return -1;
		}
		g->nworkers++;
	}
	if (pthread_create(&g->acceptor, NULL, acceptor_main, g) != 0) {
		SETERR("gate: cannot start a thread");
		return -1;
	}
	g->acceptor_started = true;
	/* Every thread is up before the gate is used: the shim forks (the
	 * analysis child) while they run, and a thread still starting may hold
	 * an allocator lock the child would inherit (ASan's is not reset in a
	 * forked child). */
	pthread_mutex_lock(&g->lock);
	while (g->ready < g->nworkers + 1)
		pthread_cond_wait(&g->readycond, &g->lock);
	pthread_mutex_unlock(&g->lock);
	return 0;
}

int pv_gate_srv_start(struct pv_gate_srv **out, pv_gate_handler h, void *ud, unsigned *port, char *err,
                      size_t errlen)
{
	*out = NULL;
	struct pv_gate_srv *g = calloc(1, sizeof *g);
	if (!g) {
		SETERR("gate: out of memory");
		return -1;
	}
	g->handle = h;
	g->ud = ud;
	g->lfd = g->stop_r = g->stop_w = -1;
	pthread_mutex_init(&g->lock, NULL);
	pthread_cond_init(&g->qcond, NULL);
	pthread_cond_init(&g->readycond, NULL);
	int pfd[2];
	if (listen_loopback(g, port, err, errlen) != 0)
		goto fail;
	if (pipe2(pfd, O_CLOEXEC) != 0) {
		SETERR("gate: pipe: %s", strerror(errno));
		goto fail;
	}
	g->stop_r = pfd[0];
	g->stop_w = pfd[1];
	if (start_threads(g, err, errlen) != 0)
		goto fail;
	*out = g;
	return 0;
fail:
	pv_gate_srv_stop(g);
	return -1;
}

void pv_gate_srv_stop(struct pv_gate_srv *g)
{
	if (!g)
		return;
	pthread_mutex_lock(&g->lock);
	g->stop = true;
	pthread_cond_broadcast(&g->qcond);
	pthread_mutex_unlock(&g->lock);
	if (g->stop_w >= 0) {
		/* Never read: stays readable, so every poll() sees it. */
		ssize_t w;
		do
			w = write(g->stop_w, "x", 1);
		while (w < 0 && errno == EINTR);
	}
	if (g->acceptor_started)
		pthread_join(g->acceptor, NULL);
	for (size_t i = 0; i < g->nworkers; i++)
		pthread_join(g->workers[i], NULL);
	for (size_t i = 0; i < g->qlen; i++)
		close(g->queue[(g->qhead + i) % GATE_QUEUE]);
	if (g->lfd >= 0)
		close(g->lfd);
	if (g->stop_r >= 0)
		close(g->stop_r);
	if (g->stop_w >= 0)
		close(g->stop_w);
	pthread_cond_destroy(&g->qcond);
	pthread_cond_destroy(&g->readycond);
	pthread_mutex_destroy(&g->lock);
	free(g);
}
