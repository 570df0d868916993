
# Added by gavel to clap_complete's script: the meeting file is offered among
# the .toml files (and the folders, to walk into), a list among the .csv ones.

# Which positional argument of the subcommand the word under the cursor is
# (1 for the first), or 0 when it is an option or an option's value.
__gavel_positional() {
    local takes_value=" @VALUE_OPTIONS@ " n=1 i=2
    [[ ${COMP_WORDS[COMP_CWORD]} == -* ]] && { echo 0; return; }
    while (( i < COMP_CWORD )); do
        local word=${COMP_WORDS[i]}
        if [[ $takes_value == *" $word "* ]]; then
            # bash splits `--log-dir=x` into `--log-dir`, `=`, `x`.
            [[ ${COMP_WORDS[i + 1]} == = ]] && (( i += 1 ))
            (( i += 1 ))
            (( i >= COMP_CWORD )) && { echo 0; return; }
        elif [[ $word != -* ]]; then
            (( n += 1 ))
        fi
        (( i += 1 ))
    done
    echo "$n"
}

# The folders and the files ending in .$1 that complete the word under the cursor.
__gavel_files() {
    local cur=${COMP_WORDS[COMP_CWORD]}
    compopt -o filenames 2> /dev/null
    mapfile -t COMPREPLY < <(compgen -d -- "$cur"; compgen -f -X "!*.$1" -- "$cur")
}
