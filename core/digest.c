/* digest.c - SHA-256 of artifacts through libcrypto's EVP interface. */
#include "digest.h"

#include <ctype.h>
#include <stdlib.h>

#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <unistd.h>

static void hex(const unsigned char *md, unsigned n, char *out)
{
	static const char x[] = "0123456789abcdef";
	for (unsigned i = 0; i < n; i++) {
		out[2 * i] = x[md[i] >> 4];
		out[2 * i + 1] = x[md[i] & 15];
	}
	out[2 * n] = 0;
}

int pv_sha256_hex(const void *buf, size_t len, char *out, size_t outlen)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	if (outlen < 65 || !EVP_Digest(buf, len, md, &mdlen, EVP_sha256(), NULL))
		return -1;
	hex(md, mdlen, out);
	return 0;
}

int pv_sha256_file(const char *path, char *out, size_t outlen)
{
	if (outlen < 72)
		return -1;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int rc = -1;
	if (ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
		unsigned char buf[65536];
		ssize_t r;
		while ((r = read(fd, buf, sizeof buf)) > 0)
			if (!EVP_DigestUpdate(ctx, buf, (size_t)r))
				break;
		unsigned char md[EVP_MAX_MD_SIZE];
		unsigned mdlen = 0;
		if (r == 0 && EVP_DigestFinal_ex(ctx, md, &mdlen)) {
			snprintf(out, outlen, "sha256:");
			hex(md, mdlen, out + 7);
			rc = 0;
		}
	}
	EVP_MD_CTX_free(ctx);
	close(fd);
	return rc;
}

char *pv_sha256_hex_norm(const char *s, size_t n)
{
	if (!s || n != 64)
		return NULL;
	char *o = malloc(65);
	if (!o)
		return NULL;
	for (size_t i = 0; i < 64; i++) {
		if (!isxdigit((unsigned char)s[i])) {
			free(o);
			return NULL;
		}
		o[i] = (char)tolower((unsigned char)s[i]);
	}
	o[64] = '\0';
	return o;
}
