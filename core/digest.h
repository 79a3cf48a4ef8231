/* digest.h - artifact digests (libcrypto). */
#ifndef PV_DIGEST_H
#define PV_DIGEST_H

#include <stddef.h>

/* "sha256:<64 hex>" of the file at path into out (>= 72 bytes). Returns 0 or -1. */
int pv_sha256_file(const char *path, char *out, size_t outlen);
/* Hex SHA-256 of a buffer into out (>= 65 bytes). */
int pv_sha256_hex(const void *buf, size_t len, char *out, size_t outlen);

/* A lowercase copy (malloc'd) of the n-character string s when it is a
 * SHA-256 in hex (64 hex digits, any case); NULL when it is not, or on
 * ENOMEM. For hashes indexes publish (#sha256=..., "hashes"). */
char *pv_sha256_hex_norm(const char *s, size_t n);

#endif
