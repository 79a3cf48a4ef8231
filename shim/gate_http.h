/* gate_http.h - the gate's HTTP/1.1 server: listens on 127.0.0.1 (ephemeral
 * port), a thread accepting and a fixed pool of workers, each serving one
 * connection at a time with keep-alive and pipelining. Only GET and HEAD;
 * request line and headers bounded (PV_GATE_HDR_MAX); no request bodies.
 * Responses always carry Content-Length. What a request means is the
 * handler's business (gate.c). */
#ifndef PV_GATE_HTTP_H
#define PV_GATE_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#define PV_GATE_WORKERS 16      /* connections served at once */
#define PV_GATE_HDR_MAX 8192    /* request line + headers */

struct pv_gate_srv;
struct pv_gate_conn;

struct pv_gate_req {
	bool head;       /* HEAD: the response is sent without its body */
	bool close;      /* close the connection after this response */
	bool json;       /* Accept names application/vnd.pypi.simple.v1+json */
	char *target;    /* request target as sent; the handler may modify it */
};

/* Called on a worker thread for each request; must send exactly one
 * response with pv_gate_respond / pv_gate_respond_err. */
typedef void (*pv_gate_handler)(void *ud, struct pv_gate_conn *c, struct pv_gate_req *r);

/* Listen and start the threads; *port is the port. 0, or -1 with err. */
int pv_gate_srv_start(struct pv_gate_srv **out, pv_gate_handler h, void *ud, unsigned *port, char *err,
                      size_t errlen);

/* Stop accepting, end idle connections, wait for requests in flight (the
 * handler's own time bounds apply), join the threads, free. NULL: no-op. */
void pv_gate_srv_stop(struct pv_gate_srv *s);

/* A whole response. -1 when the client is gone (the connection is then
 * closed after the handler returns). */
int pv_gate_respond(struct pv_gate_conn *c, const struct pv_gate_req *r, int status, const char *ctype,
                    const void *body, size_t len);

/* A one-line text/plain response; bytes outside printable ASCII in the
 * formatted reason become '?' (it may quote upstream names, and pip may
 * show it on a terminal). */
int pv_gate_respond_err(struct pv_gate_conn *c, const struct pv_gate_req *r, int status, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
