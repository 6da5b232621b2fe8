"""The opt-out ledger's id (workflows/opt_out_ledger.py; its models: domain/opt_outs.py)."""


def ledger_workflow_id(contact_hash: str) -> str:
    """Named by the keyed hash of the contact, never the address itself."""
    return f"opt-out-{contact_hash}"
