/* test_blobcache.c - the artifact store: round trip, damaged and planted
 * files never served, names that are not digests refused, the size cap. */
#include "blobcache.h"
#include "check.h"
#include "digest.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void sha_of(const char *s, char out[65])
{
	pv_sha256_hex(s, strlen(s), out, 65);
}

static void overwrite(const char *dir, const char *sha, const char *text)
{
	char p[1200];
	snprintf(p, sizeof p, "%s/%.2s/%s", dir, sha, sha);
	FILE *f = fopen(p, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void age(const char *dir, const char *sha, time_t secs_ago)
{
	char p[1200];
	snprintf(p, sizeof p, "%s/%.2s/%s", dir, sha, sha);
	struct timespec t[2] = {{time(NULL) - secs_ago, 0}, {time(NULL) - secs_ago, 0}};
	utimensat(AT_FDCWD, p, t, 0);
}

int main(void)
{
	char tmpl[] = "/tmp/pvtest-blob-XXXXXX";
	char *root = mkdtemp(tmpl);
	CHECK(root != NULL, "mkdtemp");
	if (!root)
		return CHECK_DONE();
	char dir[1024];
	snprintf(dir, sizeof dir, "%s/artifacts", root);
	const char *a = "the first artifact", *b = "another artifact, a little longer";
	char sa[65], sb[65];
	sha_of(a, sa);
	sha_of(b, sb);
	char *buf;
	size_t len;

	CHECK(pv_blob_get(dir, sa, 1 << 20, &buf, &len) == -1, "nothing stored yet");
	CHECK(pv_blob_put(dir, sa, a, strlen(a)) == 0, "put");
	CHECK(pv_blob_put(dir, sa, a, strlen(a)) == 0, "put again: already there");
	CHECK(pv_blob_get(dir, sa, 1 << 20, &buf, &len) == 0 && len == strlen(a) && memcmp(buf, a, len) == 0,
	      "round trip");
	free(buf);
	CHECK(pv_blob_get(dir, sa, 4, &buf, &len) == -1, "larger than max: not read");

	/* a damaged (or planted) file does not hash to its name: not served, removed */
	CHECK(pv_blob_put(dir, sb, b, strlen(b)) == 0, "put b");
	overwrite(dir, sb, "evil bytes under b's name");
	CHECK(pv_blob_get(dir, sb, 1 << 20, &buf, &len) == -1, "damaged file refused");
	char p[4300];
	snprintf(p, sizeof p, "%s/%.2s/%s", dir, sb, sb);
	CHECK(access(p, F_OK) != 0, "damaged file removed");

	/* names that are not lower-case 64-hex digests */
	CHECK(pv_blob_put(dir, "../../etc/passwd", a, strlen(a)) == -1, "path in the name refused");
	CHECK(pv_blob_put(dir, "ABCDEF", a, strlen(a)) == -1, "short / upper-case name refused");
	CHECK(pv_blob_get(dir, "0123", 10, &buf, &len) == -1, "get with a bad name");
	CHECK(pv_blob_put(NULL, sa, a, strlen(a)) == -1 && pv_blob_put("", sa, a, strlen(a)) == -1, "no directory");

	/* the cap: the least recently used go first */
	CHECK(pv_blob_put(dir, sb, b, strlen(b)) == 0, "b again");
	age(dir, sa, 3600); /* a: used an hour ago; b: just now */
	unsigned long long left = pv_blob_trim(dir, strlen(a) + strlen(b) - 1);
	CHECK(left == strlen(b), "trim keeps what fits, newest first (%llu left)", left);
	CHECK(pv_blob_get(dir, sa, 1 << 20, &buf, &len) == -1, "the oldest (a) was removed");
	CHECK(pv_blob_get(dir, sb, 1 << 20, &buf, &len) == 0, "b stays");
	free(buf);
	CHECK(pv_blob_trim(dir, 1ull << 40) == strlen(b), "under the cap: nothing removed");

	char cmd[4400];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
	CHECK(system(cmd) == 0, "cleanup");
	return CHECK_DONE();
}
