"""Audit actions are one enum whose values are the strings already stored, written and matched
through its members only, each with a Korean label."""

from __future__ import annotations

import ast
from pathlib import Path

from campaign.audit import AuditAction
from campaign.labels import ACTION_LABELS

CAMPAIGN = Path(__file__).resolve().parents[2] / "campaign"

# Every action written before the enum existed (issue 18): rows holding these must still read
# back as members, so no migration is needed. A renamed member would need one.
STORED_BEFORE = [
    "status",
    "hide",
    "restore",
    "tag_add",
    "tag_remove",
    "route",
    "mask",
    "undo",
    "tag_create",
    "tag_rename",
    "tag_merge",
    "team_create",
    "team_rename",
    "urgent_rule_add",
    "urgent_rule_remove",
    "account_create",
    "account_role",
    "account_password",
    "account_activate",
    "account_deactivate",
    "campaign_create",
    "campaign_update",
    "cluster_rename",
    "cluster_lock",
    "cluster_unlock",
    "cluster_status",
    "cluster_route",
    "cluster_merge",
    "cluster_unmerge",
    "cluster_split",
    "cluster_move",
    "recluster",
    "cluster_tag",
    "cluster_hide",
    "cluster_public",
    "fix_create",
    "fix_update",
    "fix_progress",
    "fix_note",
    "fix_note_remove",
    "fix_link_cluster",
    "fix_unlink_cluster",
    "fix_link_moment",
    "fix_unlink_moment",
    "fix_quote",
    "fix_quote_edit",
    "fix_quote_remove",
    "fix_publish",
    "fix_retract",
    "export",
    "sign_in",
    "sign_in_failed",
    "sign_in_throttled",
    "sign_out",
    "sign_in_password",
    "two_factor_enrol",
    "two_factor_ok",
    "two_factor_recovery",
    "two_factor_failed",
    "two_factor_reset",
    # Issue 16: telling other tools
    "webhook_create",
    "webhook_enable",
    "webhook_disable",
    "webhook_delete",
    "webhook_test",
    "digest_settings",
]
# Added since, each with its own stored string (issue 16: clocks, escalation, internal notes,
# sending a cluster's brief; issue 15: importing moments, sources).
ADDED_SINCE = [
    "campaign_clocks",
    "escalation_clear",
    "note_add",
    "note_remove",
    "brief_send",
    "moments_import_check",
    "moments_import",
    "source_add",
    "source_rename",
    "source_retire",
]


def test_every_stored_action_is_a_member_with_the_same_string():
    assert {a.value for a in AuditAction} == set(STORED_BEFORE) | set(ADDED_SINCE)
    assert all(AuditAction(value) == value for value in STORED_BEFORE)


def test_every_action_has_a_korean_label_and_labels_find_stored_strings():
    assert set(ACTION_LABELS) == set(AuditAction)
    assert ACTION_LABELS.get("cluster_merge") == ACTION_LABELS[AuditAction.CLUSTER_MERGE]


def _members_only(node: ast.expr) -> bool:
    if isinstance(node, ast.IfExp):
        return _members_only(node.body) and _members_only(node.orelse)
    return (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "AuditAction"
        and node.attr in AuditAction.__members__
    )


def test_actions_are_written_and_matched_through_members_only():
    written, problems = 0, []
    for path in sorted(CAMPAIGN.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            here = f"{path.relative_to(CAMPAIGN)}:{getattr(node, 'lineno', '?')}"
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "record"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "audit"
            ):
                written += 1
                if len(node.args) < 2 or not _members_only(node.args[1]):
                    problems.append(f"{here}: audit.record without an AuditAction member")
            # `….action == "x"` or `"x" in …` style matching on a bare string
            if (
                isinstance(node, ast.Compare)
                and isinstance(node.left, ast.Attribute)
                and node.left.attr == "action"
            ):
                for right in node.comparators:
                    if isinstance(right, ast.Constant) and isinstance(right.value, str):
                        problems.append(
                            f"{here}: an action matched against the string {right.value!r}"
                        )
    assert problems == []
    assert written >= 50  # the check saw the trail being written
