#!/usr/bin/env python3
"""Writes bulwark's man page and its bash and zsh completions from the program's own help.

Usage: gen_docs.py BULWARK OUTDIR

Every command and subcommand is found by walking `--help` (CLI11's "Subcommands:" and
"Options:" sections), so the page and the completions always list what the binary has.
Writes OUTDIR/bulwark.1, OUTDIR/bulwark.1.gz, OUTDIR/bulwark.bash and OUTDIR/_bulwark.
"""
import gzip
import os
import re
import subprocess
import sys


def help_text(binary, path):
    out = subprocess.run([binary, *path, "--help"], capture_output=True, text=True, check=True)
    return out.stdout


def parse(text):
    """(description, usage, options [(names, arg, help)], subcommands [(name, help)])."""
    lines = text.splitlines()
    description = lines[0].strip() if lines else ""
    usage = next((l[len("Usage: "):] for l in lines if l.startswith("Usage: ")), "")
    options, subs, section = [], [], None
    for line in lines:
        if line in ("Options:", "Subcommands:", "Positionals:"):
            section = line[:-1]
            continue
        if not line.strip():
            section = None if section == "Subcommands" else section
            continue
        if section == "Subcommands" and line.startswith("  ") and not line.startswith("    "):
            name, _, what = line.strip().partition(" ")
            subs.append((name, what.strip()))
        elif section in ("Options", "Positionals") and line.startswith("  "):
            if line.startswith("    ") and options:  # the help of the option above
                names, arg, what = options[-1]
                options[-1] = (names, arg, (what + " " + line.strip()).strip())
                continue
            # "  NAMES ARG...  HELP": the help starts after a run of two or more spaces, or
            # on the lines below when the names and argument are long.
            parts = re.split(r"\s{2,}", line.strip(), maxsplit=1)
            left, what = parts[0], parts[1] if len(parts) > 1 else ""
            first, _, arg = left.partition(" ")
            if section == "Positionals" and " REQUIRED " in arg:  # one space before the help
                arg, _, rest = arg.partition(" REQUIRED ")
                what = (rest + " " + what).strip()
            arg = arg.strip()
            if section == "Positionals":
                options.append(([first], arg, what))
            else:
                names = [n for n in first.split(",") if n.startswith("-")]
                options.append((names, arg, what))
    return description, usage, options, subs


def walk(binary, path=()):
    """Yields (path, parsed help) for the program and every subcommand below it."""
    parsed = parse(help_text(binary, list(path)))
    yield path, parsed
    for name, _ in parsed[3]:
        yield from walk(binary, (*path, name))


def roff(text):
    return text.replace("\\", "\\\\").replace("-", "\\-").replace("'", "\\(aq")


def man_page(tree, version):
    top = tree[0][1]
    out = [
        f'.TH BULWARK 1 "" "bulwark {roff(version)}" "User Commands"',
        ".SH NAME",
        "bulwark \\- " + roff(top[0]),
        ".SH SYNOPSIS",
        ".B bulwark",
        "\\fICOMMAND\\fR [\\fIOPTIONS\\fR]",
        ".SH DESCRIPTION",
        "bulwark collects an AWS account's configuration into a SQLite snapshot, runs posture "
        "checks over it, hunts CloudTrail and VPC flow logs with Sigma rules, and reasons about "
        "IAM policies exactly as AWS evaluates them.",
        ".SH COMMANDS",
    ]
    for path, (description, usage, options, _) in tree[1:]:
        out += [".SS " + roff("bulwark " + " ".join(path)), roff(description), ".PP",
                "Usage: " + roff(usage)]
        for names, arg, what in options:
            if names == ["-h", "--help"] or names == ["--help"]:
                continue
            label = ", ".join(f"\\fB{roff(n)}\\fR" for n in names)
            if arg:
                label += " \\fI" + roff(arg) + "\\fR"
            out += [".TP", label, roff(what)]
    out += [
        ".SH ENVIRONMENT",
        ".TP", "\\fBAWS_PROFILE\\fR, \\fBAWS_REGION\\fR, \\fBAWS_ACCESS_KEY_ID\\fR, ...",
        "Credentials and settings, read as the AWS CLI reads them (environment, then "
        "~/.aws/credentials and ~/.aws/config, then container and instance credentials).",
        ".TP", "\\fBBULWARK_CHECKS_DIR\\fR, \\fBBULWARK_RULES_DIR\\fR, \\fBBULWARK_IAM_ACTIONS\\fR",
        "Where the posture checks, the Sigma rules and the IAM action table are read from "
        "(default: the installed copies).",
        ".SH FILES",
        ".TP", "\\fI/usr/share/bulwark/checks\\fR", "The posture checks (YAML, one per file).",
        ".TP", "\\fI/usr/share/bulwark/rules\\fR", "The built-in Sigma rules.",
        ".TP", "\\fI/usr/share/bulwark/iam\\-actions.tsv\\fR",
        "Every IAM action with its access level.",
        ".SH EXIT STATUS",
        "0 on success; 1 when the work could not be done (the reason is printed); 2 for bad "
        "usage; 3 when \\fBscan \\-\\-fail\\-on\\fR found a failure at or above the severity.",
    ]
    return "\n".join(out) + "\n"


def bash_completion(tree):
    cases = []
    for path, (_, _, options, subs) in tree:
        opts = [n for names, _, _ in options for n in names if n.startswith("-")]
        cases.append(f'    "{" ".join(path)}") subs="{" ".join(s for s, _ in subs)}"; '
                     f'opts="{" ".join(opts)}" ;;')
    known = "|".join(f'"{" ".join(p)}"' for p, _ in tree[1:])
    return """# bash completion for bulwark (generated from its --help)
_bulwark() {
  local cur=${COMP_WORDS[COMP_CWORD]} path="" w i subs="" opts=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    w=${COMP_WORDS[i]}
    [[ $w == -* ]] && continue
    case "${path:+$path }$w" in
      %s) path="${path:+$path }$w" ;;
    esac
  done
  case "$path" in
%s
  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
  elif [[ -n $subs ]]; then
    COMPREPLY=($(compgen -W "$subs" -- "$cur"))
  else
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
  return 0
}
complete -o filenames -F _bulwark bulwark
""" % (known, "\n".join(cases))


def zsh_completion(tree):
    cases = []
    for path, (_, _, options, subs) in tree:
        items = [f"'{s}:{d.replace(chr(39), '')[:60]}'" for s, d in subs]
        opts = [n for names, _, _ in options for n in names if n.startswith("-")]
        cases.append(f'    "{" ".join(path)}") subs=({" ".join(items)}); opts=({" ".join(opts)}) ;;')
    return """#compdef bulwark
# zsh completion for bulwark (generated from its --help)
_bulwark() {
  local path="" w i
  local -a subs opts known
  known=(%s)
  for ((i = 2; i < CURRENT; i++)); do
    w=${words[i]}
    [[ $w == -* ]] && continue
    (( ${known[(Ie)${path:+$path }$w]} )) && path="${path:+$path }$w"
  done
  case "$path" in
%s
  esac
  if [[ ${words[CURRENT]} == -* ]]; then
    compadd -a opts
  elif (( ${#subs} )); then
    _describe 'command' subs
  else
    _files
  fi
}
_bulwark "$@"
""" % (" ".join(f"'{' '.join(p)}'" for p, _ in tree[1:]), "\n".join(cases))


def main():
    binary, outdir = sys.argv[1], sys.argv[2]
    os.makedirs(outdir, exist_ok=True)
    tree = list(walk(binary))
    version = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.split()[-1]
    page = man_page(tree, version)
    with open(os.path.join(outdir, "bulwark.1"), "w") as f:
        f.write(page)
    # Compressed as Debian installs man pages, without a timestamp (reproducible).
    with open(os.path.join(outdir, "bulwark.1.gz"), "wb") as f:
        with gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=0, compresslevel=9) as g:
            g.write(page.encode())
    with open(os.path.join(outdir, "bulwark.bash"), "w") as f:
        f.write(bash_completion(tree))
    with open(os.path.join(outdir, "_bulwark"), "w") as f:
        f.write(zsh_completion(tree))


if __name__ == "__main__":
    main()
