"""A separate process that approves a list of proposals as one manager when told to go.

Usage: fund_approver.py URL USER_ID PROPOSAL_ID[,PROPOSAL_ID...]; prints `ready`, waits for a
line on stdin, approves each proposal in turn and prints one JSON object: id -> what happened.
"""

from __future__ import annotations

import json
import sys

from jointfund import store
from jointfund.errors import JointfundError
from jointfund.store import open_database
from tests.operator import approve_as_seen


def main() -> None:
    """Approve the proposals named on the command line, racing whoever else does."""
    url, user_id, ids = sys.argv[1], int(sys.argv[2]), [int(i) for i in sys.argv[3].split(",")]
    db = open_database(url, pool=False)
    with db.read() as conn:
        manager = store.users.get_user(conn, user_id=user_id)
    print("ready", flush=True)
    sys.stdin.readline()
    outcomes: dict[int, str] = {}
    for pid in ids:
        try:
            done = approve_as_seen(db, manager, pid)
            outcomes[pid] = "executed" if done.executed else "approved"
        except JointfundError as exc:
            outcomes[pid] = f"refused: {exc}"
    print(json.dumps(outcomes), flush=True)


if __name__ == "__main__":
    main()
