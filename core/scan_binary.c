/* scan_binary.c - recognise executable binaries and native addons shipped
 * in a package: ELF, PE, Mach-O (thin and fat), WebAssembly, and files
 * named like native code even when the magic is missing. */
#include "analyze.h"

#include <stdio.h>
#include <string.h>

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | (uint32_t)p[0];
}

static uint16_t le16(const unsigned char *p)
{
	return (uint16_t)(p[1] << 8 | p[0]);
}

static uint16_t be16(const unsigned char *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static bool ends_with_ci(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);
	if (n < m)
		return false;
	for (size_t i = 0; i < m; i++) {
		char c = s[n - m + i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		if (c != suf[i])
			return false;
	}
	return true;
}

/* ELF: e_type at 16 (endianness from EI_DATA at 5). */
static const char *elf_kind(const unsigned char *d, size_t n)
{
	if (n < 18)
		return "ELF binary";
	uint16_t type = d[5] == 2 ? be16(d + 16) : le16(d + 16);
	switch (type) {
	case 1: return "ELF object file";
	case 2: return "ELF executable";
	case 3: return "ELF shared object";
	case 4: return "ELF core dump";
	default: return "ELF binary";
	}
}

/* PE: "MZ", e_lfanew at 0x3c (bounds-checked), "PE\0\0" there, then the
 * COFF header whose Characteristics (offset 18) say DLL or not. */
static const char *pe_kind(const unsigned char *d, size_t n)
{
	if (n < 0x40)
		return NULL;
	uint32_t lfa = le32(d + 0x3c);
	if (lfa < 0x40 || lfa > n || n - lfa < 24)
		return NULL;
	if (memcmp(d + lfa, "PE\0\0", 4) != 0)
		return NULL;
	uint16_t ch = le16(d + lfa + 4 + 18);
	return (ch & 0x2000) ? "PE (Windows) DLL" : "PE (Windows) executable";
}

static const char *macho_kind(const unsigned char *d, size_t n)
{
	if (n < 16)
		return "Mach-O binary";
	uint32_t magic = be32(d);
	bool swap = magic == 0xCEFAEDFEu || magic == 0xCFFAEDFEu; /* little-endian file */
	uint32_t ft = swap ? le32(d + 12) : be32(d + 12);
	switch (ft) {
	case 1: return "Mach-O object file";
	case 2: return "Mach-O executable";
	case 6: return "Mach-O dynamic library";
	case 8: return "Mach-O bundle";
	default: return "Mach-O binary";
	}
}

void pv_scan_binary(const struct pv_source *src, struct pv_findings *out)
{
	const unsigned char *d = (const unsigned char *)src->data;
	size_t n = src->data ? src->len : 0;
	const char *path = src->path ? src->path : "";
	const char *kind = NULL;
	bool native = true;

	if (n >= 4 && memcmp(d, "\x7f" "ELF", 4) == 0) {
		kind = elf_kind(d, n);
	} else if (n >= 2 && d[0] == 'M' && d[1] == 'Z') {
		kind = pe_kind(d, n);
	} else if (n >= 4) {
		uint32_t m = be32(d);
		if (m == 0xFEEDFACEu || m == 0xFEEDFACFu || m == 0xCEFAEDFEu || m == 0xCFFAEDFEu) {
			kind = macho_kind(d, n);
		} else if (m == 0xCAFEBABEu || m == 0xCAFEBABFu) {
			/* Fat Mach-O, or a Java class file (same magic): a fat header's
			 * nfat_arch is small; a class file has minor (2 bytes) then
			 * major version >= 45 there, so the 32-bit read is >= 45. */
			if (n >= 8) {
				uint32_t nfat = be32(d + 4);
				if (nfat >= 1 && nfat < 30 && n >= 8 + (size_t)nfat * 20)
					kind = "Mach-O universal binary";
			}
		} else if (m == 0x0061736Du) { /* "\0asm" */
			if (n >= 8 && le32(d + 4) == 1)
				kind = "WebAssembly module";
			native = false; /* sandboxed: binary, not native code */
		}
	}
	if (!kind) {
		native = true;
		if (ends_with_ci(path, ".node"))
			kind = "Node native addon";
		else if (ends_with_ci(path, ".so") || strstr(path, ".so.") != NULL)
			kind = "shared library (.so)";
		else if (ends_with_ci(path, ".dll"))
			kind = "Windows DLL (.dll)";
		else if (ends_with_ci(path, ".exe"))
			kind = "Windows executable (.exe)";
		else if (ends_with_ci(path, ".dylib"))
			kind = "macOS dynamic library (.dylib)";
		else if (ends_with_ci(path, ".pyd"))
			kind = "Python extension module (.pyd)";
		else
			return;
		/* ".so." in a name like "config.so.json" is no library. */
		if (strstr(path, ".so.") && !ends_with_ci(path, ".so")) {
			const char *q = strstr(path, ".so.") + 4;
			for (; *q; q++)
				if (!((*q >= '0' && *q <= '9') || *q == '.'))
					return;
		}
	} else if (ends_with_ci(path, ".node") && native) {
		char buf[96];
		snprintf(buf, sizeof buf, "Node native addon (%s)", kind);
		pv_findings_add(out, "binary", src->path, 0, NULL, 0, buf, src->install_time);
		pv_findings_add(out, "perm-native", src->path, 0, NULL, 0, buf, src->install_time);
		return;
	}
	pv_findings_add(out, "binary", src->path, 0, NULL, 0, kind, src->install_time);
	if (native)
		pv_findings_add(out, "perm-native", src->path, 0, NULL, 0, kind, src->install_time);
}
