# fish completion for pkgvet. Installed as
# $datadir/fish/vendor_completions.d/pkgvet.fish. Attribute ids for
# `pkgvet explain` come from the pkgvet being completed; npm's and pip's own
# arguments are theirs.

set -l pkgvet_commands audit explain policy approve cache npm npx pip pip3 init doctor help version

function __pkgvet_attribute_ids
    set -l cmd (commandline -opc)
    command $cmd[1] explain 2>/dev/null | string replace -r '^(\S+)\s+(\S+)\s+(\S+)\s+(.*)$' '$1\t$3: $4'
end

function __pkgvet_policy_needs_sub
    set -l cmd (commandline -opc)
    test (count $cmd) -eq 2; and test "$cmd[2]" = policy
end

function __pkgvet_cache_needs_sub
    set -l cmd (commandline -opc)
    test (count $cmd) -eq 2; and test "$cmd[2]" = cache
end

function __pkgvet_explain_needs_id
    set -l cmd (commandline -opc)
    test (count $cmd) -eq 2; and test "$cmd[2]" = explain
end

complete -c pkgvet -f
complete -c pkgvet -n "not __fish_seen_subcommand_from $pkgvet_commands" -s h -l help -d 'list the commands'
complete -c pkgvet -n "not __fish_seen_subcommand_from $pkgvet_commands" -l version -d 'print the version'
complete -c pkgvet -n "not __fish_seen_subcommand_from $pkgvet_commands" -a audit -d 'vet packages'
complete -c pkgvet -n "not __fish_seen_subcommand_from $pkgvet_commands" -a explain -d 'show an attribute of the catalogue'
complete -c pkgvet -n "not __fish_seen_subcommand_from $pkgvet_commands" -a policy -d 'show or check the policy'
complete -c pkgvet -n "not __fish_seen_subcommand_from $pkgvet_commands" -a approve -d 'record approvals'
complete -c pkgvet -n "not __fish_seen_subcommand_from $pkgvet_commands" -a cache -d 'the analysis cache'
complete -c pkgvet -n "not __fish_seen_subcommand_from $pkgvet_commands" -a 'npm npx' -d 'run npm, vetting first'
complete -c pkgvet -n "not __fish_seen_subcommand_from $pkgvet_commands" -a 'pip pip3' -d 'run pip, vetting first'
complete -c pkgvet -n "not __fish_seen_subcommand_from $pkgvet_commands" -a init -d 'print the shell integration'
complete -c pkgvet -n "not __fish_seen_subcommand_from $pkgvet_commands" -a doctor -d 'check the setup'
complete -c pkgvet -n "not __fish_seen_subcommand_from $pkgvet_commands" -a help -d 'list the commands'
complete -c pkgvet -n "not __fish_seen_subcommand_from $pkgvet_commands" -a version -d 'print the version'

# every command: its usage
complete -c pkgvet -n "__fish_seen_subcommand_from $pkgvet_commands" -s h -l help -d 'show the usage'

# audit
complete -c pkgvet -n '__fish_seen_subcommand_from audit' -l lockfile -r -F -d 'vet every package of an npm lockfile'
complete -c pkgvet -n '__fish_seen_subcommand_from audit' -s r -l requirement -r -F -d 'vet a pip requirements file'
complete -c pkgvet -n '__fish_seen_subcommand_from audit' -l json -d 'print the report as JSON'
complete -c pkgvet -n '__fish_seen_subcommand_from audit' -l fail-on -x -a 'warn prompt block' -d 'exit 1 from this verdict'
complete -c pkgvet -n '__fish_seen_subcommand_from audit' -s j -l jobs -x -d 'analysis threads (1-64)'
complete -c pkgvet -n '__fish_seen_subcommand_from audit' -l color -x -a 'auto always never' -d 'when to use colour'
complete -c pkgvet -n '__fish_seen_subcommand_from audit' -s q -l quiet -d 'print only the summary line and errors'
complete -c pkgvet -n '__fish_seen_subcommand_from audit' -s v -l verbose -d 'also list allow-level findings'
complete -c pkgvet -n '__fish_seen_subcommand_from audit' -l no-cache -d 'analyse again even when cached'
complete -c pkgvet -n '__fish_seen_subcommand_from audit' -F
complete -c pkgvet -n '__fish_seen_subcommand_from audit' -a 'npm: pypi:' -d 'registry package'

# explain: the ids the pkgvet being completed knows
complete -c pkgvet -n __pkgvet_explain_needs_id -a '(__pkgvet_attribute_ids)'

# policy
complete -c pkgvet -n __pkgvet_policy_needs_sub -a show -d 'print the effective policy'
complete -c pkgvet -n __pkgvet_policy_needs_sub -a check -d 'validate a policy file'
complete -c pkgvet -n '__fish_seen_subcommand_from policy; and __fish_seen_subcommand_from show' -l json -d 'print as JSON'
complete -c pkgvet -n '__fish_seen_subcommand_from policy; and __fish_seen_subcommand_from check' -l org -d 'check as the organisation policy'
complete -c pkgvet -n '__fish_seen_subcommand_from policy; and __fish_seen_subcommand_from check' -F

# approve
complete -c pkgvet -n '__fish_seen_subcommand_from approve' -l project -d "record in the project's approval file"
complete -c pkgvet -n '__fish_seen_subcommand_from approve' -F

# cache
complete -c pkgvet -n __pkgvet_cache_needs_sub -a path -d 'where the cache file is'
complete -c pkgvet -n __pkgvet_cache_needs_sub -a stats -d 'entries and size'
complete -c pkgvet -n __pkgvet_cache_needs_sub -a clear -d 'remove everything'
complete -c pkgvet -n '__fish_seen_subcommand_from cache; and __fish_seen_subcommand_from clear' -l metadata -d 'registry metadata only'

# init
complete -c pkgvet -n '__fish_seen_subcommand_from init' -a 'bash zsh fish' -d shell

# npm, npx, pip, pip3: the arguments are the tools' own
complete -c pkgvet -n '__fish_seen_subcommand_from npm npx pip pip3' -F
