# pip_hold.py - installed as sitecustomize.py in a private directory on
# PYTHONPATH for the one pip that pkgvet-pip runs (shim/pip_hold.c). It is
# pkgvet's own code, not a package's: it holds pip between resolving and
# installing, so that one pip run does both, with pkgvet's decision between.
#
# After pip's resolver has prepared every distribution (all downloaded
# through the gate, so all vetted or being vetted), the report pip would
# write for --report goes to DIR/report.json and "ready" to the FIFO
# DIR/ready; then pip waits on the FIFO DIR/go for pkgvet's answer: "go"
# installs, anything else stops with nothing installed.
#
# Fail-closed: if the hook cannot be put in place, pip exits 3 at once; if
# pip reaches its install step without having been held (another resolver,
# a pip that changed), it stops there, before it installs or uninstalls
# anything. pkgvet then runs its two-pip route instead.
import os
import sys

_DIR = os.environ.pop("PKGVET_PIP_HOLD", None)
if _DIR:
    # Children (build backends, pip's build environments) must not be held.
    _pp = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p and p != os.path.join(_DIR, "py")]
    if _pp:
        os.environ["PYTHONPATH"] = os.pathsep.join(_pp)
    else:
        os.environ.pop("PYTHONPATH", None)

    def _say(name, text):
        with open(os.path.join(_DIR, name), "w", encoding="utf-8") as f:
            f.write(text)

    try:
        import pip._internal.req as _req
        from pip._internal.exceptions import InstallationError
        from pip._internal.models.installation_report import InstallationReport
        from pip._internal.resolution.resolvelib import resolver as _rl
    except Exception as _e:  # a pip this hook does not know
        sys.stderr.write("pkgvet: cannot hold this pip between resolving and installing (%s)\n" % _e)
        _say("unheld", "import")
        os._exit(3)

    _held = []

    class _Refused(InstallationError):
        pass

    _resolve = _rl.Resolver.resolve

    def _resolve_then_wait(self, *args, **kwargs):
        rs = _resolve(self, *args, **kwargs)
        if _held:
            return rs  # a second resolution in the same pip: already decided
        import json
        report = InstallationReport(rs.requirements_to_install).to_dict()
        tmp = os.path.join(_DIR, "report.json.tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(report, f, ensure_ascii=False)
        os.replace(tmp, os.path.join(_DIR, "report.json"))
        _say("ready", "ready\n")
        with open(os.path.join(_DIR, "go"), "r", encoding="utf-8") as f:
            answer = f.read().strip()
        if answer != "go":
            # pkgvet has said why; pip stops quietly, cleaning up as it does.
            import logging
            logging.disable(logging.CRITICAL)
            raise _Refused("pkgvet: not installed")
        _held.append(True)
        return rs

    _rl.Resolver.resolve = _resolve_then_wait

    _install_given_reqs = _req.install_given_reqs

    def _install_if_held(*args, **kwargs):
        if not _held:
            _say("unheld", "install")
            import logging
            logging.disable(logging.CRITICAL)
            raise _Refused("pkgvet: pip was not held before installing")
        return _install_given_reqs(*args, **kwargs)

    _req.install_given_reqs = _install_if_held
