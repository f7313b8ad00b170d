#!/bin/sh
# gigasim's install and uninstall (make install / make uninstall): they touch
# only the files they installed.
#
#   install.sh install ROOT      the files listed on stdin, one per line as
#                                MODE<TAB>SOURCE<TAB>DEST (DEST relative to ROOT)
#   install.sh uninstall ROOT
#
# ROOT/share/gigasim/.install-manifest records each file installed with its
# SHA-256, and each folder the install made. A reinstall replaces a file it
# installed if it is as installed; a file there that it did not install, or
# that was changed since (a user's own, or edited), is left as it is and the
# new one is written beside it as FILE.gigasim-new (said). Files of an
# earlier install that this one no longer has are removed, if unchanged.
# Uninstall removes the files of the manifest that are as installed (a
# changed one is kept, and said), then the folders the install made, when
# empty. Nothing is removed wholesale; a link is never followed.
set -eu

cmd=${1:-}
root=${2:-}
if [ -z "$cmd" ] || [ -z "$root" ]; then
    echo "usage: install.sh install|uninstall ROOT" >&2
    exit 2
fi
manifest="$root/share/gigasim/.install-manifest"
TAB=$(printf '\t')

sha() { sha256sum < "$1" | cut -c1-64; }

# The SHA-256 the manifest records for file REL ("" when none).
recorded() {
    [ -f "$manifest" ] || return 0
    awk -F "$TAB" -v p="$1" '$1 == "f" && $3 == p { print $2 }' "$manifest"
}

# The file REL under ROOT is gigasim's as installed: listed, unchanged.
as_installed() {
    rec=$(recorded "$1")
    [ -n "$rec" ] && [ -f "$root/$1" ] && [ ! -L "$root/$1" ] && [ "$(sha "$root/$1")" = "$rec" ]
}

case "$cmd" in
install)
    mkdir -p "$root"
    new=$(mktemp "${TMPDIR:-/tmp}/gigasim-install.XXXXXX")
    made=$(mktemp "${TMPDIR:-/tmp}/gigasim-dirs.XXXXXX")
    trap 'rm -f "$new" "$made"' EXIT
    [ -f "$manifest" ] && awk -F "$TAB" '$1 == "d"' "$manifest" > "$made"
    while IFS="$TAB" read -r mode src rel; do
        [ -n "$rel" ] || continue
        # the folders on the way, each made once, recorded when this install made it
        dir=$(dirname "$rel")
        path=""
        oldifs=$IFS
        IFS=/
        for part in $dir; do
            IFS=$oldifs
            [ -n "$part" ] && [ "$part" != . ] || continue
            path=${path:+$path/}$part
            if [ ! -e "$root/$path" ] && [ ! -L "$root/$path" ]; then
                mkdir "$root/$path"
                printf 'd\t-\t%s\n' "$path" >> "$made"
            elif [ -L "$root/$path" ] || [ ! -d "$root/$path" ]; then
                echo "install: $root/$path is not a folder (or is a link): nothing installed under it" >&2
                exit 1
            fi
        done
        IFS=$oldifs
        dest="$root/$rel"
        if [ -e "$dest" ] || [ -L "$dest" ]; then
            if as_installed "$rel" || { [ -f "$dest" ] && [ ! -L "$dest" ] && cmp -s "$src" "$dest"; }; then
                rm -f "$dest"
            else
                echo "install: $dest is not the file an earlier install put there (yours, or changed): kept; the new one is $dest.gigasim-new" >&2
                dest="$dest.gigasim-new"
                rel="$rel.gigasim-new"
                rm -f "$dest"
            fi
        fi
        install -m "$mode" "$src" "$dest"
        printf 'f\t%s\t%s\n' "$(sha "$dest")" "$rel" >> "$new"
    done
    # files of an earlier install this one does not have: removed when unchanged
    if [ -f "$manifest" ]; then
        awk -F "$TAB" '$1 == "f" { print $3 }' "$manifest" | while IFS= read -r rel; do
            if ! awk -F "$TAB" -v p="$rel" '$3 == p || $3 == p ".gigasim-new" { found = 1 } END { exit !found }' "$new"; then
                if as_installed "$rel"; then
                    rm -f "$root/$rel"
                elif [ -e "$root/$rel" ]; then
                    echo "install: $root/$rel (of an earlier install) was changed: kept" >&2
                fi
            fi
        done
    fi
    sort -u "$made" >> "$new"
    cp "$new" "$manifest.tmp"
    mv "$manifest.tmp" "$manifest"
    ;;
uninstall)
    if [ ! -f "$manifest" ]; then
        echo "uninstall: $manifest not found: nothing gigasim installed is known there" >&2
        exit 1
    fi
    awk -F "$TAB" '$1 == "f" { print $3 }' "$manifest" | while IFS= read -r rel; do
        if as_installed "$rel"; then
            rm -f "$root/$rel"
        elif [ -e "$root/$rel" ] || [ -L "$root/$rel" ]; then
            echo "uninstall: $root/$rel was changed since it was installed: kept" >&2
        fi
    done
    # the folders the installs made, deepest first, when nothing is left in them
    dirs=$(awk -F "$TAB" '$1 == "d" { print $3 }' "$manifest" | awk -F / '{ print NF "\t" $0 }' | sort -rn | cut -f2-)
    rm -f "$manifest"
    printf '%s\n' "$dirs" | while IFS= read -r rel; do
        [ -n "$rel" ] && [ -d "$root/$rel" ] && [ ! -L "$root/$rel" ] && rmdir "$root/$rel" 2>/dev/null || true
    done
    ;;
*)
    echo "install.sh: unknown command '$cmd' (install or uninstall)" >&2
    exit 2
    ;;
esac
