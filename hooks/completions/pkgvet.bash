# bash completion for pkgvet                              -*- shell-script -*-
# Installed as $datadir/bash-completion/completions/pkgvet; or source it.
# Attribute ids for `pkgvet explain` come from the pkgvet being completed.
# Completion of npm's and pip's own arguments is npm's and pip's business.

_pkgvet_words()
{
	# Candidates from the word list $1 that start with the current word.
	local IFS=$' \t\n'
	COMPREPLY+=($(compgen -W "$1" -- "$cur"))
}

_pkgvet_files()
{
	local IFS=$'\n'
	compopt -o filenames 2>/dev/null
	COMPREPLY+=($(compgen -f -- "$cur"))
}

_pkgvet()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=
	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	# --opt=value: the '=' is a word of its own in COMP_WORDS.
	if [[ $cur == = ]]; then
		cur=
	elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then
		prev=${COMP_WORDS[COMP_CWORD - 2]}
	fi
	COMPREPLY=()

	# The subcommand: the first word after the program name.
	local sub= i
	for ((i = 1; i < COMP_CWORD; i++)); do
		sub=${COMP_WORDS[i]}
		break
	done
	if [[ -z $sub ]]; then
		_pkgvet_words "audit explain policy approve cache npm npx pip pip3 init doctor help version --help --version"
		return 0
	fi

	case $sub in
	audit)
		case $prev in
		--lockfile | -r | --requirement) _pkgvet_files; return 0 ;;
		--fail-on) _pkgvet_words "warn prompt block"; return 0 ;;
		--color) _pkgvet_words "auto always never"; return 0 ;;
		-j | --jobs) return 0 ;;
		esac
		if [[ $cur == -* ]]; then
			_pkgvet_words "--lockfile -r --requirement --json --fail-on -j --jobs --color -q --quiet -v --verbose --no-cache -h --help"
		elif [[ $cur != *:* && $prev != npm && $prev != pypi && $prev != : ]]; then
			_pkgvet_words "npm: pypi:"
			((${#COMPREPLY[@]})) && compopt -o nospace 2>/dev/null
			_pkgvet_files
		fi
		;;
	explain)
		if ((COMP_CWORD == 2)); then
			if [[ $cur == -* ]]; then
				_pkgvet_words "-h --help"
			else
				_pkgvet_words "$("${COMP_WORDS[0]}" explain 2>/dev/null | while read -r id _; do printf '%s ' "$id"; done)"
			fi
		fi
		;;
	policy)
		if ((COMP_CWORD == 2)); then
			_pkgvet_words "show check -h --help"
		elif [[ ${COMP_WORDS[2]} == show ]]; then
			_pkgvet_words "--json -h --help"
		elif [[ ${COMP_WORDS[2]} == check ]]; then
			if [[ $cur == -* ]]; then
				_pkgvet_words "--org -h --help"
			else
				_pkgvet_files
			fi
		fi
		;;
	approve)
		if [[ $cur == -* ]]; then
			_pkgvet_words "--project -h --help"
		else
			_pkgvet_files
		fi
		;;
	cache)
		if ((COMP_CWORD == 2)); then
			_pkgvet_words "path stats clear -h --help"
		elif ((COMP_CWORD == 3)) && [[ ${COMP_WORDS[2]} == clear ]]; then
			_pkgvet_words "--metadata"
		fi
		;;
	init)
		((COMP_CWORD == 2)) && _pkgvet_words "bash zsh fish -h --help"
		;;
	doctor | help | version)
		((COMP_CWORD == 2)) && _pkgvet_words "-h --help"
		;;
	npm | npx | pip | pip3)
		# The arguments are npm's or pip's; pkgvet adds only its own --help.
		if ((COMP_CWORD == 2)) && [[ $cur == -* ]]; then
			_pkgvet_words "-h --help"
		else
			_pkgvet_files
		fi
		;;
	esac
	return 0
}
complete -F _pkgvet pkgvet
