/* digest.h - artifact digests (libcrypto). */
#ifndef PV_DIGEST_H
#define PV_DIGEST_H

#include <stddef.h>

/* "sha256:<64 hex>" of the file at path into out (>= 72 bytes). Returns 0 or -1. */
int pv_sha256_file(const char *path, char *out, size_t outlen);
/* Hex SHA-256 of a buffer into out (>= 65 bytes). */
int pv_sha256_hex(const void *buf, size_t len, char *out, size_t outlen);

#endif
