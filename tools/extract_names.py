"""Write nnlib/datasets/names.txt from the 1990 US Census first-name lists.

    python tools/extract_names.py /path/to/names-0.3.0.tar.gz     (authors only)

Get the archive once with
    pip download --no-deps names==0.3.0 -d /tmp/names
The course never runs this: learners get names.txt from the repository.  It is
kept so that anyone can see, and redo, exactly how the file was made.

Source: the US Census Bureau's "Frequently Occurring Names" from the 1990
census (files dist.female.first, 4,275 names, and dist.male.first, 1,219 names),
a work of the US government and so in the public domain.  The PyPI package
`names` 0.3.0 (Trey Hunner, MIT licence) ships the two files unchanged.

Each line of a Census file is: NAME, frequency in percent, cumulative
percent, rank.  What is done here: keep the first column, lowercase it, keep
only names made of the letters a-z (all of them are), drop duplicates (the 331 names
on both lists appear once), sort alphabetically, one name per line.  The
frequencies are dropped: every name counts once.
"""
import hashlib
import re
import sys
import tarfile
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "nnlib" / "datasets" / "names.txt"
MEMBERS = ("names-0.3.0/names/dist.female.first", "names-0.3.0/names/dist.male.first")


def read_names(archive):
    """All first names of the two lists, as they are written there (upper case)."""
    names = []
    with tarfile.open(archive) as tar:
        for member in MEMBERS:
            text = tar.extractfile(member).read().decode("ascii")
            lines = [line for line in text.splitlines() if line.strip()]
            print(f"{member}: {len(lines)} names")
            names += [line.split()[0] for line in lines]
    return names


def clean(names):
    """Lowercase, letters a-z only, no duplicates, sorted."""
    lower = [name.lower() for name in names]
    kept = {name for name in lower if re.fullmatch(r"[a-z]+", name)}
    dropped = len({name for name in lower if not re.fullmatch(r"[a-z]+", name)})
    print(f"{len(lower)} names, {dropped} with other characters dropped, {len(kept)} distinct")
    return sorted(kept)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    names = clean(read_names(sys.argv[1]))
    text = "\n".join(names) + "\n"
    OUT.write_text(text, encoding="ascii")
    digest = hashlib.sha256(text.encode("ascii")).hexdigest()
    print(f"wrote {OUT} ({OUT.stat().st_size:,} bytes, {len(names)} names); sha256 {digest}")


if __name__ == "__main__":
    main()
