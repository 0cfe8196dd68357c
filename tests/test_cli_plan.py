"""`regctl plan`, what `regctl run` does with an edited manifest, and the small CLI points of issue 13:
`retry --from` twice, `cancel` of a finished batch, plain `retry` re-running `after:` steps."""

from __future__ import annotations

from pathlib import Path

from cli_support import manifest, regctl

from regctl.db.store import Store

STEPS = """    - {key: fetch, uses: builtin.noop}
    - {key: second, uses: builtin.noop, needs: [fetch]}"""


def _rows(store: Store, name: str) -> dict[str, dict[str, object]]:
    view = store.batch_view(store.find_batch(name)["id"])
    return {j["restaurant"]: j for j in view["jobs"]}


def test_plan_of_a_new_batch_lists_its_restaurants_and_writes_nothing(
    store: Store, database_url: str, tmp_path: Path
) -> None:
    result = regctl("plan", str(manifest(tmp_path, STEPS, count=2)), db=database_url)
    assert result.code == 0, result.output
    assert "new batch cli-test: 2 restaurant(s)" in result.out and "+ Restaurant 1" in result.out
    assert store.list_batches() == []


def test_plan_shows_added_changed_removed_and_pipeline_and_execution_changes(
    store: Store, database_url: str, tmp_path: Path
) -> None:
    assert regctl("run", "--no-progress", str(manifest(tmp_path, STEPS, count=2)), db=database_url).code == 0
    edited = manifest(tmp_path, STEPS + "\n    - {key: third, uses: builtin.noop, needs: [second]}",
                      count=3, extra="execution: {max_parallel_restaurants: 2}\n")
    text = edited.read_text().replace("name: Restaurant 0, address: 0 Test Road",
                                      "name: Restaurant 0, address: 0 test rd, phone: '09 111'")
    edited.write_text(text.replace("  - {name: Restaurant 1, address: 1 Test Road, city: Auckland}\n", ""))
    before = store.list_batches()
    result = regctl("plan", str(edited), db=database_url)
    assert result.code == 0, result.output
    out = result.out
    assert "+ Restaurant 2 (a new job)" in out
    assert "~ Restaurant 0: phone: None -> 09 111" in out  # "0 test rd" is "0 Test Road": the same one
    assert "- Restaurant 1 (no longer listed" in out
    assert "+ step third (builtin.noop)" in out
    assert "~ execution max_parallel_restaurants: 10 -> 2" in out
    assert store.list_batches() == before  # nothing written


def test_run_refuses_pipeline_or_execution_changes_unless_accepted(
    store: Store, database_url: str, tmp_path: Path
) -> None:
    assert regctl("run", "--no-progress", str(manifest(tmp_path, STEPS, count=1)), db=database_url).code == 0
    edited = manifest(tmp_path, STEPS, count=2, extra="execution: {max_parallel_restaurants: 2}\n")
    refused = regctl("run", "--no-progress", str(edited), db=database_url)
    assert refused.code == 2 and "--accept-changes" in refused.err
    assert "~ execution max_parallel_restaurants: 10 -> 2" in refused.err  # run shows the plan
    assert len(_rows(store, "cli-test")) == 1  # nothing written
    accepted = regctl("run", "--no-progress", "--accept-changes", str(edited), db=database_url)
    assert accepted.code == 0, accepted.output
    assert store.find_batch("cli-test")["execution"]["max_parallel_restaurants"] == 2
    assert len(_rows(store, "cli-test")) == 2


def test_restaurant_identity_survives_address_spelling(
    store: Store, database_url: str, tmp_path: Path
) -> None:
    path = manifest(tmp_path, STEPS, count=1)
    assert regctl("run", "--no-progress", str(path), db=database_url).code == 0
    path.write_text(path.read_text().replace("0 Test Road", "0  TEST rd"))
    again = regctl("run", "--no-progress", str(path), db=database_url)
    assert again.code == 0, again.output
    assert len(_rows(store, "cli-test")) == 1


def test_retry_from_twice_is_no_traceback(store: Store, database_url: str, tmp_path: Path) -> None:
    assert regctl("run", "--no-progress", str(manifest(tmp_path, STEPS, count=1)), db=database_url).code == 0
    job = next(iter(_rows(store, "cli-test").values()))["id"]
    first = regctl("retry", str(job), "--from", "fetch", db=database_url)
    assert first.code == 0 and "2 step(s) to run again" in first.out
    second = regctl("retry", str(job), "--from", "fetch", db=database_url)
    assert second.code == 0 and "nothing to retry" in second.out


def test_cancel_refuses_a_finished_batch(store: Store, database_url: str, tmp_path: Path) -> None:
    assert regctl("run", "--no-progress", str(manifest(tmp_path, STEPS, count=1)), db=database_url).code == 0
    result = regctl("cancel", "cli-test", db=database_url)
    assert result.code == 2 and "already completed" in result.err
    assert store.find_batch("cli-test")["status"] == "completed"


def test_plain_retry_reruns_an_after_step_that_ran_past_the_failure(
    store: Store, database_url: str, tmp_path: Path
) -> None:
    steps = """    - key: flaky
      uses: builtin.fail
      with: {times: 1, retryable: false}
      retries: 1
      critical: false
    - {key: report, uses: builtin.noop, after: [flaky]}"""
    assert regctl("run", "--no-progress", str(manifest(tmp_path, steps, count=1)), db=database_url).code == 0
    job = next(iter(_rows(store, "cli-test").values()))
    assert {s["key"]: s["status"] for s in job["steps"]} == {"flaky": "failed", "report": "completed"}
    assert regctl("retry", str(job["id"]), db=database_url).code == 0
    assert regctl("resume", "cli-test", db=database_url).code == 0
    events = [e for e in store.events(job_id=job["id"]) if e["to_status"] == "completed"]
    order = [store.step_row(e["step_id"])["key"] for e in events]
    assert order == ["report", "flaky", "report"]  # report ran again, after the retried flaky


def test_cancel_asks_on_a_terminal_with_the_review_prompts_key_rules(
    store: Store, database_url: str, tmp_path: Path
) -> None:
    """y/n, then Enter, as every review question (issue 15: one prompt library); no cancels nothing."""
    import os
    import sys

    import pexpect

    waits = "    - {key: approve, uses: builtin.wait, with: {schema: {type: object}}}\n"
    assert regctl("run", "--no-progress", str(manifest(tmp_path, waits, count=1)), db=database_url).code == 3
    env = {**os.environ, "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm", "REGCTL_DATA_DIR": str(tmp_path)}
    regctl_bin = str(Path(sys.executable).with_name("regctl"))

    def ask(keys: str) -> int:
        child = pexpect.spawn(regctl_bin, ["--db", database_url, "cancel", "cli-test"], env=env,
                              encoding="utf-8", timeout=60, dimensions=(45, 120))
        try:
            child.expect(r"Cancel batch cli-test")
            child.expect(r"y/N, then Enter")
            child.send(keys)
            child.expect(pexpect.EOF)
        finally:
            child.close()
        return int(child.exitstatus or 0)

    assert ask("n\r") == 1
    assert store.find_batch("cli-test")["status"] != "cancelled"
    assert ask("y\r") == 0
    assert store.find_batch("cli-test")["status"] == "cancelled"
