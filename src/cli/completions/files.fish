
# Added by gavel to clap_complete's script: the meeting file is offered among
# the .toml files (and the folders, to walk into), a list among the .csv ones.

# Whether the word under the cursor is the subcommand's positional argument
# number $argv[1] (from 1), and not an option's value.
function __fish_gavel_positional_is
    set -l takes_value @VALUE_OPTIONS@
    set -l words (commandline -opc)
    set -e words[1..2]
    set -l n 1
    set -l value 0
    for word in $words
        if test $value -eq 1
            set value 0
        else if contains -- (string split -m1 = -- $word)[1] $takes_value
            string match -q -- '*=*' $word; or set value 1
        else if not string match -q -- '-*' $word
            set n (math $n + 1)
        end
    end
    test $value -eq 0; and test $n -eq $argv[1]
end

# The files ending in .$argv[1], and the folders. __fish_complete_suffix puts
# them first but, before fish 3.7, goes on with every other file.
function __fish_gavel_files
    set -l ext (string escape --style=regex -- $argv[1])
    __fish_complete_suffix .$argv[1] | string match -r -- '^.*(?:\.'$ext'|/)$'
end
