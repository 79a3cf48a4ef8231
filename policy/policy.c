/* policy.c - merge the policy layers (built-in catalogue < organisation <
 * user < project < environment), enforce the organisation's locks, and
 * evaluate allow and deny entries. Reading one file: policy_parse.c. */
#include "policy_internal.h"
#include "pep440.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <pwd.h>

extern char **environ;

static const char *const layer_names[PV_LAYER__COUNT] = {"built-in", "org", "user", "project", "env"};

const char *pv_layer_name(enum pv_layer l)
{
	return (unsigned)l < PV_LAYER__COUNT ? layer_names[l] : "?";
}

const char *pv_origin_str(const struct pv_origin *o, char *buf, size_t len)
{
	if (!o->file)
		snprintf(buf, len, "-");
	else if (o->line)
		snprintf(buf, len, "%s:%u", o->file, o->line);
	else
		snprintf(buf, len, "%s", o->file);
	return buf;
}

/* ------------------------------------------------------------ small helpers */

static const char *intern(struct pv_policy *p, const char *s)
{
	for (size_t i = 0; i < p->nstrs; i++)
		if (strcmp(p->strs[i], s) == 0)
			return p->strs[i];
	char **v = realloc(p->strs, (p->nstrs + 1) * sizeof *v);
	if (!v)
		return NULL;
	p->strs = v;
	char *c = strdup(s);
	if (!c)
		return NULL;
	p->strs[p->nstrs++] = c;
	return c;
}

__attribute__((format(printf, 2, 3)))
static int warn(struct pv_policy *p, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	char **v = realloc(p->warnings, (p->nwarnings + 1) * sizeof *v);
	if (!v)
		return -1;
	p->warnings = v;
	if (!(v[p->nwarnings] = strdup(msg)))
		return -1;
	p->nwarnings++;
	return 0;
}

static int set_str(char **dst, const char *v)
{
	char *c = strdup(v);
	if (!c)
		return -1;
	free(*dst);
	*dst = c;
	return 0;
}

static char **setting_slot(struct pv_policy *p, enum pv_setting s)
{
	switch (s) {
	case PV_SET_NPM_REGISTRY:
		return &p->npm_registry;
	case PV_SET_PYPI_INDEX:
		return &p->pypi_index;
	case PV_SET_OSV_URL:
		return &p->osv_url;
	case PV_SET_CACHE_DIR:
		return &p->cache_dir;
	case PV_SET_LOG:
		return &p->log;
	case PV_SET_OSV_OFFLINE:
		return &p->osv_offline;
	case PV_SET_NPM_DOWNLOADS_URL:
		return &p->npm_downloads_url;
	case PV_SET_PYPI_DOWNLOADS_URL:
		return &p->pypi_downloads_url;
	case PV_SET_DNS_SERVER:
		return &p->dns_server;
	case PV_SET_REAL_NPM:
		return &p->real_npm;
	case PV_SET_REAL_PIP:
		return &p->real_pip;
	default:
		return NULL;
	}
}

/* The effective value of a setting as canonical text, in buf. */
static const char *setting_text(const struct pv_policy *p, enum pv_setting s, char *buf, size_t len)
{
	switch (s) {
	case PV_SET_NONINTERACTIVE:
		return pv_action_name(p->noninteractive);
	case PV_SET_FAIL_CLOSED:
		return p->fail_closed ? "yes" : "no";
	case PV_SET_ALLOW_YES:
		return p->allow_yes ? "yes" : "no";
	case PV_SET_TIMEOUT:
		snprintf(buf, len, "%u", p->timeout);
		return buf;
	default: {
		char **slot = setting_slot((struct pv_policy *)p, s);
		return slot && *slot ? *slot : "";
	}
	}
}

/* Store a canonical value (already validated). */
static int setting_store(struct pv_policy *p, enum pv_setting s, const char *text)
{
	switch (s) {
	case PV_SET_NONINTERACTIVE:
		p->noninteractive = (enum pv_action)pv_action_parse(text);
		return 0;
	case PV_SET_FAIL_CLOSED:
		p->fail_closed = strcmp(text, "yes") == 0;
		return 0;
	case PV_SET_ALLOW_YES:
		p->allow_yes = strcmp(text, "yes") == 0;
		return 0;
	case PV_SET_TIMEOUT:
		p->timeout = (unsigned)strtoul(text, NULL, 10);
		return 0;
	default:
		return set_str(setting_slot(p, s), text);
	}
}

/* How a refused change of a locked setting is described. */
static const char *setting_refusal(enum pv_setting s)
{
	bool directed = s == PV_SET_NONINTERACTIVE || s == PV_SET_FAIL_CLOSED || s == PV_SET_ALLOW_YES;
	return directed ? "it would weaken the locked value" : "it would change the locked value";
}

/* Would text weaken the locked setting s? noninteractive, fail_closed and
 * allow_yes have a stronger direction; every other setting is weakened by any change. */
static bool setting_weakens(const struct pv_policy *p, enum pv_setting s, const char *text)
{
	const char *floor = p->set_floor[s];
	if (!floor)
		return false;
	switch (s) {
	case PV_SET_NONINTERACTIVE:
		return pv_action_parse(text) < pv_action_parse(floor);
	case PV_SET_FAIL_CLOSED:
		return strcmp(floor, "yes") == 0 && strcmp(text, "no") == 0;
	case PV_SET_ALLOW_YES:
		return strcmp(floor, "no") == 0 && strcmp(text, "yes") == 0;
	default:
		return strcmp(text, floor) != 0;
	}
}

/* ------------------------------------------------------------ attributes */

static void field_text(const struct pv_attr *a, int field, char *buf, size_t len)
{
	switch (field) {
	case PV_FIELD_ACTION:
		snprintf(buf, len, "%s", pv_action_name(a->action));
		break;
	case PV_FIELD_INSTALL_TIME_ACTION:
		snprintf(buf, len, "%s", a->install_time_action < 0 ? "none" :
		         pv_action_name((enum pv_action)a->install_time_action));
		break;
	case PV_FIELD_HIGH_ACTION:
		snprintf(buf, len, "%s", a->high_action < 0 ? "none" : pv_action_name((enum pv_action)a->high_action));
		break;
	case PV_FIELD_ENABLED:
		snprintf(buf, len, "%s", a->enabled ? "yes" : "no");
		break;
	case PV_FIELD_THRESHOLD:
		snprintf(buf, len, "%.15g", a->threshold);
		break;
	}
}

static void floor_text(const struct pv_attr *a, const struct pv_attr_floor *fl, int field, char *buf,
                       size_t len)
{
	struct pv_attr t = *a;
	t.action = fl->action;
	t.install_time_action = fl->install_time_action;
	t.high_action = fl->high_action;
	t.enabled = fl->enabled;
	t.threshold = fl->threshold;
	field_text(&t, field, buf, len);
}

static bool attr_weakens(const struct pv_attr *a, const struct pv_attr_floor *fl, int field,
                         const struct pv_passign *as)
{
	switch (field) {
	case PV_FIELD_ACTION:
		return as->ival < (int)fl->action;
	case PV_FIELD_INSTALL_TIME_ACTION:
		return as->ival < fl->install_time_action;
	case PV_FIELD_HIGH_ACTION:
		return as->ival < fl->high_action;
	case PV_FIELD_ENABLED:
		return fl->enabled && !as->ival;
	case PV_FIELD_THRESHOLD:
		if (a->weaker == PV_WEAKER_LOWER)
			return as->num < fl->threshold;
		if (a->weaker == PV_WEAKER_HIGHER)
			return as->num > fl->threshold;
		return as->num != fl->threshold;
	}
	return true;
}

static void attr_store(struct pv_attr *a, int field, const struct pv_passign *as)
{
	switch (field) {
	case PV_FIELD_ACTION:
		a->action = (enum pv_action)as->ival;
		break;
	case PV_FIELD_INSTALL_TIME_ACTION:
		a->install_time_action = as->ival;
		break;
	case PV_FIELD_HIGH_ACTION:
		a->high_action = as->ival;
		break;
	case PV_FIELD_ENABLED:
		a->enabled = as->ival != 0;
		break;
	case PV_FIELD_THRESHOLD:
		a->threshold = as->num;
		break;
	}
}

static void lock_attr_field(struct pv_policy *p, size_t i, int field, struct pv_origin o)
{
	struct pv_attr_origins *ao = &p->attr[i];
	const struct pv_attr *a = &p->cat.v[i];
	if (ao->lock[field].file)
		return; /* the first lock line stays */
	ao->lock[field] = o;
	switch (field) {
	case PV_FIELD_ACTION:
		ao->floor.action = a->action;
		break;
	case PV_FIELD_INSTALL_TIME_ACTION:
		ao->floor.install_time_action = a->install_time_action;
		break;
	case PV_FIELD_HIGH_ACTION:
		ao->floor.high_action = a->high_action;
		break;
	case PV_FIELD_ENABLED:
		ao->floor.enabled = a->enabled;
		break;
	case PV_FIELD_THRESHOLD:
		ao->floor.threshold = a->threshold;
		break;
	}
}

static int lock_setting(struct pv_policy *p, enum pv_setting s, struct pv_origin o)
{
	char buf[32];
	if (p->set_lock[s].file)
		return 0;
	p->set_lock[s] = o;
	return set_str(&p->set_floor[s], setting_text(p, s, buf, sizeof buf));
}

/* ------------------------------------------------------------ merging */

static bool overlaps_org_deny(const struct pv_policy *p, const struct pv_rule *r,
                              const struct pv_rule **deny)
{
	for (size_t i = 0; i < p->nrules; i++) {
		const struct pv_rule *d = &p->rules[i];
		if (d->kind == PV_RULE_DENY && d->layer == PV_LAYER_ORG && strcmp(d->ecosystem, r->ecosystem) == 0 &&
		    strcmp(d->name, r->name) == 0) {
			*deny = d;
			return true;
		}
	}
	return false;
}

static int merge_file(struct pv_policy *p, struct pv_pfile *pf, enum pv_layer layer, const char *today)
{
	const char *file = intern(p, pf->name);
	char los[PATH_MAX + 32], ors[PATH_MAX + 32], fl[64];
	if (!file)
		return -1;
	p->layer_file[layer] = file;

	/* Values, in file order. */
	for (size_t k = 0; k < pf->na; k++) {
		const struct pv_passign *as = &pf->a[k];
		struct pv_origin o = {file, as->line};
		if (as->kind == PA_ATTR) {
			struct pv_attr *a = &p->cat.v[as->attr];
			struct pv_attr_origins *ao = &p->attr[as->attr];
			if (ao->lock[as->field].file && attr_weakens(a, &ao->floor, as->field, as)) {
				floor_text(a, &ao->floor, as->field, fl, sizeof fl);
				if (warn(p, "%s: %s = %s ignored: it would weaken the locked value %s (locked at %s)",
				         pv_origin_str(&o, ors, sizeof ors), as->key, as->text, fl,
				         pv_origin_str(&ao->lock[as->field], los, sizeof los)) < 0)
					return -1;
				continue;
			}
			attr_store(a, as->field, as);
			ao->set[as->field] = o;
		} else if (as->kind == PA_SETTING) {
			enum pv_setting s = (enum pv_setting)as->setting;
			if (p->set_lock[s].file && setting_weakens(p, s, as->text)) {
				if (warn(p, "%s: %s = %s ignored: %s %s (locked at %s)",
				         pv_origin_str(&o, ors, sizeof ors), as->key, as->text, setting_refusal(s), p->set_floor[s],
				         pv_origin_str(&p->set_lock[s], los, sizeof los)) < 0)
					return -1;
				continue;
			}
			if (setting_store(p, s, as->text) < 0)
				return -1;
			p->set_origin[s] = o;
		}
	}

	/* Entries. */
	for (size_t k = 0; k < pf->nr; k++) {
		struct pv_rule *r = &pf->r[k];
		struct pv_origin o = {file, r->origin.line};
		const char *word = r->kind == PV_RULE_DENY ? "deny" : "allow";
		if (r->expires && strcmp(r->expires, today) < 0) {
			if (warn(p, "%s: [%s %s] expired on %s: ignored", pv_origin_str(&o, ors, sizeof ors), word,
			         r->entry, r->expires) < 0)
				return -1;
			continue;
		}
		if (layer > PV_LAYER_ORG && r->kind == PV_RULE_ALLOW) {
			const struct pv_rule *d;
			if (p->allow_lock.file) {
				if (warn(p, "%s: [allow %s] ignored: allow entries are locked (at %s)",
				         pv_origin_str(&o, ors, sizeof ors), r->entry,
				         pv_origin_str(&p->allow_lock, los, sizeof los)) < 0)
					return -1;
				continue;
			}
			if (p->deny_lock.file && overlaps_org_deny(p, r, &d)) {
				char ds[PATH_MAX + 32];
				if (warn(p, "%s: [allow %s] ignored: the organisation denies [%s] (%s) and deny entries are "
				         "locked (at %s)", pv_origin_str(&o, ors, sizeof ors), r->entry, d->entry,
				         pv_origin_str(&d->origin, ds, sizeof ds),
				         pv_origin_str(&p->deny_lock, los, sizeof los)) < 0)
					return -1;
				continue;
			}
		}
		struct pv_rule *v = realloc(p->rules, (p->nrules + 1) * sizeof *v);
		if (!v)
			return -1;
		p->rules = v;
		v[p->nrules] = *r;
		v[p->nrules].origin = o;
		v[p->nrules].layer = layer;
		p->nrules++;
		memset(r, 0, sizeof *r); /* moved */
	}

	/* Locks (organisation layer only: the parser refuses [locked] elsewhere).
	 * The floor is the value once the whole organisation file is applied. */
	for (size_t k = 0; k < pf->na; k++) {
		const struct pv_passign *as = &pf->a[k];
		struct pv_origin o = {file, as->line};
		if (as->kind < PA_LOCK_ATTR || !as->ival)
			continue;
		switch (as->kind) {
		case PA_LOCK_ATTR:
			for (int f = 0; f < PV_FIELD__COUNT; f++)
				if (as->field < 0 || as->field == f)
					lock_attr_field(p, as->attr, f, o);
			break;
		case PA_LOCK_ATTR_ALL:
			for (size_t i = 0; i < p->cat.n; i++)
				for (int f = 0; f < PV_FIELD__COUNT; f++)
					lock_attr_field(p, i, f, o);
			break;
		case PA_LOCK_SETTING:
			if (lock_setting(p, (enum pv_setting)as->setting, o) < 0)
				return -1;
			break;
		case PA_LOCK_SET_ALL:
			for (int s = 0; s < PV_SET__COUNT; s++)
				if (lock_setting(p, (enum pv_setting)s, o) < 0)
					return -1;
			break;
		case PA_LOCK_ALLOW:
			if (!p->allow_lock.file)
				p->allow_lock = o;
			break;
		case PA_LOCK_DENY:
			if (!p->deny_lock.file)
				p->deny_lock = o;
			break;
		default:
			break;
		}
	}
	return 0;
}

/* Read, parse and merge one layer's file. Returns 0 (also when absent) or -1. */
static int load_layer(struct pv_policy *p, const char *path, enum pv_layer layer, const char *today,
                      char *err, size_t errlen)
{
	char *text;
	size_t len;
	unsigned owner = 0;
	int rc = pv_pfile_read(path, &text, &len, &owner, err, errlen);
	if (rc == 1)
		return 0;
	if (rc < 0) {
		if (layer == PV_LAYER_ORG) {
			/* Never fall back to weaker defaults: say so. */
			size_t n = strlen(err);
			snprintf(err + n, errlen > n ? errlen - n : 0,
			         " (the organisation policy exists but cannot be used)");
		}
		return -1;
	}
	if (layer == PV_LAYER_PROJECT && owner != (unsigned)geteuid() && owner != 0) {
		/* Found by walking up from the current directory: in /tmp or another
		 * shared directory, someone else may have put it there. */
		free(text);
		if (warn(p, "%s: ignored: owned by uid %u, not by you or root (a project policy must be)", path,
		         owner) < 0) {
			snprintf(err, errlen, "%s: out of memory", path);
			return -1;
		}
		return 0;
	}
	struct pv_pfile pf;
	rc = pv_pfile_parse(&pf, &p->cat, text, len, path, layer == PV_LAYER_ORG, err, errlen);
	free(text);
	if (rc == 0 && merge_file(p, &pf, layer, today) < 0) {
		snprintf(err, errlen, "%s: out of memory", path);
		rc = -1;
	}
	pv_pfile_free(&pf);
	return rc;
}

static const char *env_get(char *const *env, const char *name)
{
	size_t n = strlen(name);
	for (char *const *e = env; e && *e; e++)
		if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

static int load_env(struct pv_policy *p, char *const *env, char *err, size_t errlen)
{
	char los[PATH_MAX + 32], shown[80], why[200], oname[64];
	for (int s = 0; s < PV_SET__COUNT; s++) {
		const char *name = pv_setting_env((enum pv_setting)s);
		const char *val = *name ? env_get(env, name) : NULL;
		if (!val || !*val)
			continue;
		char *canon = NULL;
		int rc = pv_setting_parse((enum pv_setting)s, val, &canon, why, sizeof why);
		if (rc == -2) {
			snprintf(err, errlen, "%s: out of memory", name);
			return -1;
		}
		if (rc < 0) {
			snprintf(err, errlen, "%s: invalid value '%s': %s", name, pv_shown(val, shown, sizeof shown), why);
			return -1;
		}
		snprintf(oname, sizeof oname, "env %s", name);
		struct pv_origin o = {intern(p, oname), 0};
		if (!o.file) {
			free(canon);
			snprintf(err, errlen, "%s: out of memory", name);
			return -1;
		}
		if (p->set_lock[s].file && setting_weakens(p, (enum pv_setting)s, canon)) {
			int w = warn(p, "env %s=%s ignored: %s of settings.%s, %s (locked at %s)",
			             name, pv_shown(canon, shown, sizeof shown), setting_refusal((enum pv_setting)s),
			             pv_setting_name((enum pv_setting)s), p->set_floor[s], pv_origin_str(&p->set_lock[s], los, sizeof los));
			free(canon);
			if (w < 0)
				goto oom;
			continue;
		}
		rc = setting_store(p, (enum pv_setting)s, canon);
		free(canon);
		if (rc < 0)
			goto oom;
		p->set_origin[s] = o;
		p->layer_file[PV_LAYER_ENV] = "environment";
	}
	return 0;
oom:
	snprintf(err, errlen, "environment: out of memory");
	return -1;
}

int pv_policy_load(struct pv_policy *p, const struct pv_policy_sources *src, char *err, size_t errlen)
{
	memset(p, 0, sizeof *p);
	if (pv_catalogue_load_builtin(&p->cat, err, errlen) < 0)
		goto fail;
	p->attr = calloc(p->cat.n ? p->cat.n : 1, sizeof *p->attr);
	const char *catfile = intern(p, p->cat.file);
	const char *deflt = intern(p, "default");
	if (!p->attr || !catfile || !deflt)
		goto oom;
	p->layer_file[PV_LAYER_BUILTIN] = catfile;
	for (size_t i = 0; i < p->cat.n; i++)
		for (int f = 0; f < PV_FIELD__COUNT; f++)
			p->attr[i].set[f] = (struct pv_origin){catfile, p->cat.v[i].line};

	/* Built-in settings. */
	p->noninteractive = PV_BLOCK;
	p->fail_closed = true;
	p->allow_yes = true;
	p->timeout = 30;
	if (set_str(&p->npm_registry, "https://registry.npmjs.org") < 0 ||
	    set_str(&p->pypi_index, "https://pypi.org/simple") < 0 ||
	    set_str(&p->osv_url, "https://api.osv.dev/v1/querybatch") < 0 ||
	    set_str(&p->cache_dir, src->cache_dir_default ? src->cache_dir_default : "/tmp/pkgvet-cache") < 0 ||
	    set_str(&p->log, src->log_default ? src->log_default : "off") < 0 ||
	    set_str(&p->osv_offline, "off") < 0 ||
	    set_str(&p->npm_downloads_url, "https://api.npmjs.org/downloads/point/last-week/{name}") < 0 ||
	    set_str(&p->pypi_downloads_url, "https://pypistats.org/api/packages/{name}/recent") < 0 ||
	    set_str(&p->dns_server, "system") < 0 || set_str(&p->real_npm, "path") < 0 ||
	    set_str(&p->real_pip, "path") < 0)
		goto oom;
	for (int s = 0; s < PV_SET__COUNT; s++)
		p->set_origin[s] = (struct pv_origin){deflt, 0};

	const char *today = src->today[0] ? src->today : "0000-00-00";
	if (src->org_path && load_layer(p, src->org_path, PV_LAYER_ORG, today, err, errlen) < 0)
		goto fail;
	if (src->user_path && load_layer(p, src->user_path, PV_LAYER_USER, today, err, errlen) < 0)
		goto fail;
	const char *project = src->project_path;
	char found[PATH_MAX];
	if (!project && src->cwd) {
		int rc = pv_policy_find_project(src->cwd, found, sizeof found);
		if (rc < 0) {
			snprintf(err, errlen, "%s: path too long looking for %s", src->cwd, PV_POLICY_PROJECT_FILE);
			goto fail;
		}
		if (rc == 1)
			project = found;
	}
	if (project && load_layer(p, project, PV_LAYER_PROJECT, today, err, errlen) < 0)
		goto fail;
	if (src->env && load_env(p, src->env, err, errlen) < 0)
		goto fail;
	return 0;
oom:
	snprintf(err, errlen, "out of memory loading the policy");
fail:
	pv_policy_free(p);
	return -1;
}

int pv_policy_check_file(const char *path, bool org_layer, char *err, size_t errlen)
{
	struct pv_catalogue cat = {0};
	if (pv_catalogue_load_builtin(&cat, err, errlen) < 0) {
		pv_catalogue_free(&cat);
		return -1;
	}
	char *text;
	size_t len;
	int rc = pv_pfile_read(path, &text, &len, NULL, err, errlen);
	if (rc == 1) {
		snprintf(err, errlen, "%s: cannot read: %s", path, strerror(ENOENT));
		rc = -1;
	}
	if (rc == 0) {
		struct pv_pfile pf;
		rc = pv_pfile_parse(&pf, &cat, text, len, path, org_layer, err, errlen);
		pv_pfile_free(&pf);
		free(text);
	}
	pv_catalogue_free(&cat);
	return rc < 0 ? -1 : 0;
}

void pv_policy_free(struct pv_policy *p)
{
	pv_catalogue_free(&p->cat);
	free(p->attr);
	free(p->npm_registry);
	free(p->pypi_index);
	free(p->osv_url);
	free(p->cache_dir);
	free(p->log);
	free(p->osv_offline);
	free(p->npm_downloads_url);
	free(p->pypi_downloads_url);
	free(p->dns_server);
	free(p->real_npm);
	free(p->real_pip);
	for (int s = 0; s < PV_SET__COUNT; s++)
		free(p->set_floor[s]);
	for (size_t i = 0; i < p->nrules; i++)
		pv_rule_free(&p->rules[i]);
	free(p->rules);
	for (size_t i = 0; i < p->nwarnings; i++)
		free(p->warnings[i]);
	free(p->warnings);
	for (size_t i = 0; i < p->nstrs; i++)
		free(p->strs[i]);
	free(p->strs);
	memset(p, 0, sizeof *p);
}

/* ------------------------------------------------------------ sources */

static void join(char *out, size_t len, const char *a, const char *b)
{
	if ((size_t)snprintf(out, len, "%s%s", a, b) >= len)
		out[0] = 0;
}

int pv_policy_find_project(const char *cwd, char *out, size_t outlen)
{
	char dir[PATH_MAX], probe[PATH_MAX + 32];
	struct stat sb;
	if (!cwd || cwd[0] != '/' || strlen(cwd) >= sizeof dir)
		return cwd && cwd[0] == '/' ? -1 : 0;
	strcpy(dir, cwd);
	for (;;) {
		size_t n = strlen(dir);
		while (n > 1 && dir[n - 1] == '/')
			dir[--n] = 0;
		snprintf(probe, sizeof probe, "%s/%s", n == 1 ? "" : dir, PV_POLICY_PROJECT_FILE);
		if (lstat(probe, &sb) == 0 || (errno != ENOENT && errno != ENOTDIR)) {
			/* Present (or present but unreadable: loading reports it). */
			if (strlen(probe) >= outlen)
				return -1;
			strcpy(out, probe);
			return 1;
		}
		snprintf(probe, sizeof probe, "%s/.git", n == 1 ? "" : dir);
		if (lstat(probe, &sb) == 0 || n == 1)
			return 0;
		char *slash = strrchr(dir, '/');
		if (slash == dir)
			dir[1] = 0;
		else
			*slash = 0;
	}
}

static const char *home_dir(void)
{
	const char *h = getenv("HOME");
	if (h && h[0] == '/')
		return h;
	struct passwd *pw = getpwuid(getuid());
	return pw && pw->pw_dir && pw->pw_dir[0] == '/' ? pw->pw_dir : NULL;
}

/* $VAR when it is an absolute path, else $HOME/fallback; then + tail. */
static const char *xdg_path(char *buf, size_t len, const char *var, const char *fallback, const char *tail)
{
	const char *x = getenv(var);
	char base[PATH_MAX];
	if (x && x[0] == '/') {
		snprintf(base, sizeof base, "%s", x);
	} else {
		const char *h = home_dir();
		if (!h)
			return NULL;
		join(base, sizeof base, h, fallback);
	}
	join(buf, len, base, tail);
	return buf[0] ? buf : NULL;
}

void pv_policy_sources_default(struct pv_policy_sources *s)
{
	memset(s, 0, sizeof *s);
	s->org_path = PKGVET_ORG_POLICY;
	s->user_path = xdg_path(s->buf_user, sizeof s->buf_user, "XDG_CONFIG_HOME", "/.config", "/pkgvet/policy.ini");
	s->cwd = getcwd(s->buf_cwd, sizeof s->buf_cwd);
	s->env = environ;
	s->cache_dir_default = xdg_path(s->buf_cache, sizeof s->buf_cache, "XDG_CACHE_HOME", "/.cache", "/pkgvet");
	s->log_default = xdg_path(s->buf_log, sizeof s->buf_log, "XDG_STATE_HOME", "/.local/state",
	                          "/pkgvet/decisions.jsonl");
	time_t now = time(NULL);
	struct tm tm;
	if (localtime_r(&now, &tm))
		strftime(s->today, sizeof s->today, "%Y-%m-%d", &tm);
}

/* ------------------------------------------------------------ evaluation */

/* Does a beat b (both match)? Later layer wins; in one layer deny beats
 * allow, and an allow naming the exact version beats a range. */
static bool beats(const struct pv_rule *a, const struct pv_rule *b, const char *version)
{
	if (a->layer != b->layer)
		return a->layer > b->layer;
	if (a->kind != b->kind)
		return a->kind == PV_RULE_DENY;
	return pv_rule_is_exact(a, version) && !pv_rule_is_exact(b, version);
}

const struct pv_rule *pv_policy_match(const struct pv_policy *p, const char *ecosystem,
                                      const char *name, const char *version)
{
	if (!ecosystem || !name)
		return NULL;
	char norm[256];
	if (strcmp(ecosystem, "pypi") == 0) {
		if (pv_pep503_normalize(name, norm, sizeof norm) < 0)
			return NULL;
		name = norm;
	}
	const struct pv_rule *best = NULL, *deny = NULL;
	for (size_t i = 0; i < p->nrules; i++) {
		const struct pv_rule *r = &p->rules[i];
		if (!pv_rule_matches(r, ecosystem, name, version))
			continue;
		if (r->kind == PV_RULE_DENY && !deny)
			deny = r;
		if (!best || beats(r, best, version))
			best = r;
	}
	if (deny && p->deny_lock.file)
		return deny;
	return best;
}

static void add_note(struct pv_findings *fs, const char *attr, enum pv_action act, const char *detail)
{
	if (pv_findings_add_each(fs, attr, NULL, 0, NULL, 0, detail, false) < 0)
		return;
	for (size_t i = fs->n; i-- > 0;) {
		struct pv_finding *f = &fs->v[i];
		if (strcmp(f->attr, attr) == 0) {
			f->action = act;
			f->kind = "policy";
			break;
		}
	}
}

enum pv_action pv_policy_apply(const struct pv_policy *p, const char *ecosystem,
                               const char *name, const char *version,
                               struct pv_findings *fs, enum pv_action verdict,
                               const struct pv_rule **rule)
{
	const struct pv_rule *r = pv_policy_match(p, ecosystem, name, version);
	if (rule)
		*rule = r;
	if (!r)
		return verdict;
	char detail[PATH_MAX + 4096], os[PATH_MAX + 32];
	pv_origin_str(&r->origin, os, sizeof os);
	if (r->kind == PV_RULE_DENY) {
		snprintf(detail, sizeof detail, "denied by [deny %s] (%s): %s", r->entry, os, r->reason);
		add_note(fs, "policy-deny", PV_BLOCK, detail);
		return PV_BLOCK;
	}
	bool malware = false;
	for (size_t i = 0; i < fs->n; i++)
		if (strcmp(fs->v[i].attr, "known-malware") == 0)
			malware = true;
	if (malware && !pv_rule_is_exact(r, version)) {
		snprintf(detail, sizeof detail,
		         "[allow %s] (%s) does not cover known malware: only an entry naming this exact version does",
		         r->entry, os);
		add_note(fs, "policy-allow", PV_ALLOW, detail);
		return PV_BLOCK;
	}
	snprintf(detail, sizeof detail, "allowed by [allow %s] (%s): %s", r->entry, os, r->reason);
	add_note(fs, "policy-allow", PV_ALLOW, detail);
	return PV_ALLOW;
}

enum pv_action pv_policy_noninteractive(const struct pv_policy *p, enum pv_action verdict)
{
	return verdict == PV_PROMPT ? p->noninteractive : verdict;
}

enum pv_action pv_policy_unvetted(const struct pv_policy *p)
{
	return p->fail_closed ? PV_BLOCK : PV_WARN;
}

/* ------------------------------------------------------------ listing */

int pv_policy_each_value(const struct pv_policy *p,
                         int (*fn)(const struct pv_policy_value *v, void *user), void *user)
{
	char key[256], val[64], sbuf[32];
	for (size_t i = 0; i < p->cat.n; i++) {
		const struct pv_attr *a = &p->cat.v[i];
		for (int f = 0; f < PV_FIELD__COUNT; f++) {
			if ((f == PV_FIELD_INSTALL_TIME_ACTION && a->install_time_action < 0) ||
			    (f == PV_FIELD_HIGH_ACTION && a->high_action < 0) ||
			    (f == PV_FIELD_THRESHOLD && !a->has_threshold))
				continue;
			snprintf(key, sizeof key, "attributes.%s.%s", a->id, pv_attr_field_name((enum pv_attr_field)f));
			field_text(a, f, val, sizeof val);
			struct pv_policy_value v = {key, val, f == PV_FIELD_THRESHOLD ? PV_VAL_NUMBER :
			                            f == PV_FIELD_ENABLED ? PV_VAL_BOOL : PV_VAL_STRING,
			                            p->attr[i].set[f], p->attr[i].lock[f]};
			int rc = fn(&v, user);
			if (rc)
				return rc;
		}
	}
	for (int s = 0; s < PV_SET__COUNT; s++) {
		snprintf(key, sizeof key, "settings.%s", pv_setting_name((enum pv_setting)s));
		struct pv_policy_value v = {key, setting_text(p, (enum pv_setting)s, sbuf, sizeof sbuf),
		                            s == PV_SET_TIMEOUT ? PV_VAL_NUMBER :
		                            s == PV_SET_FAIL_CLOSED || s == PV_SET_ALLOW_YES ? PV_VAL_BOOL
		                                                                             : PV_VAL_STRING,
		                            p->set_origin[s], p->set_lock[s]};
		int rc = fn(&v, user);
		if (rc)
			return rc;
	}
	return 0;
}
