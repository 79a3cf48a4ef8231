/* breaker.c - a small fixed table of services that failed in this run. */
#include "breaker.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define SERVICES 16     /* distinct services pkgvet talks to are few */
#define SERVICE_MAX 1024
#define REASON_MAX 300

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static char services[SERVICES][SERVICE_MAX];
static char reasons[SERVICES][REASON_MAX];
static int nservices;

bool pv_breaker_is_open(const char *service, char *why, size_t whylen)
{
	bool open = false;
	pthread_mutex_lock(&mu);
	for (int i = 0; i < nservices && !open; i++) {
		if (strcmp(services[i], service) == 0) {
			open = true;
			if (why && whylen)
				snprintf(why, whylen, "%s (not asked again in this run)", reasons[i]);
		}
	}
	pthread_mutex_unlock(&mu);
	return open;
}

void pv_breaker_trip(const char *service, const char *reason)
{
	/* A service too long to remember, or a full table, is simply asked
	 * again: slower, never wrong. */
	if (!service || strlen(service) >= SERVICE_MAX)
		return;
	pthread_mutex_lock(&mu);
	bool known = false;
	for (int i = 0; i < nservices && !known; i++)
		known = strcmp(services[i], service) == 0;
	if (!known && nservices < SERVICES) {
		snprintf(services[nservices], SERVICE_MAX, "%s", service);
		snprintf(reasons[nservices], REASON_MAX, "%.250s", reason ? reason : "failed");
		nservices++;
	}
	pthread_mutex_unlock(&mu);
}

bool pv_breaker_trips(enum pv_http_result r, long status)
{
	switch (r) {
	case PV_HTTP_TIMEOUT:
	case PV_HTTP_UNREACHABLE:
	case PV_HTTP_TLS_ERROR:
		return true;
	case PV_HTTP_HTTP_ERROR:
		/* 502/503/504 and 429 are only final after the retries: the
		 * service is overloaded or gone for now. */
		return status == 429 || status == 502 || status == 503 || status == 504;
	default:
		return false;
	}
}
