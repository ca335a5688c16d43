"""Process exit codes (documented in the README and ``contract-audit --help``)."""

OK = 0  # ran; nothing at or above --fail-on
FINDINGS = 1  # a finding at or above --fail-on (or --fail-on-new) remains
USAGE = 2  # bad command line, rule file or configuration
UNREADABLE = 3  # some input files could not be read (results for the others are written)
INTERRUPTED = 130  # Ctrl-C; finished results were still written
