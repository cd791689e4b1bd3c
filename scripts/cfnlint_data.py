"""What the scripts that extract data from the installed cfn-lint share (extract-regions.py,
extract-cfn-permissions.py): the version to name as the source, and writing the data or
checking that the committed file still equals it."""
import sys

import cfnlint


def version():
    """The installed cfn-lint's version."""
    found = getattr(cfnlint, "__version__", None)
    if found is None:
        from importlib.metadata import version as of
        found = of("cfn-lint")
    return found


def emit(text, source, script):
    """`script --check FILE`: exit 1 unless FILE equals `text`; else write `text` to stdout."""
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        if open(sys.argv[2]).read() != text:
            sys.exit(f"{sys.argv[2]} is stale: regenerate it with scripts/{script}")
        print(f"{sys.argv[2]} matches {source}")
    else:
        sys.stdout.write(text)
