"""Allow ``python -m contract_audit``."""

from contract_audit.cli import main

if __name__ == "__main__":
    main()
