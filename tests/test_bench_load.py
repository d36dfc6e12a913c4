"""The load benchmark's options and arithmetic (bench/load.py); no process is started."""

import pytest

from bench.load import (
    ACTION_APOLOGY,
    RAMP_STEPS,
    LeadCheck,
    Message,
    Phase,
    ProcessMemory,
    cpu_ms_by_process,
    degraded_kind,
    descendants,
    memory_limit_mib,
    parse_args,
    print_phase_table,
    reconcile_leads,
    summarise,
    sustained_rate,
    target_verdicts,
)
from bench.visitors import STORE_FAILED, Turn, Visit


def turn(seconds: float, text: str = "an answer", error: str = "", degraded: bool = False) -> Turn:
    return Turn("a question", 0 if error else 200, seconds, [] if error else [text], [], degraded, error)


def phase_of(*timed: tuple[float, Turn], seconds: float = 10.0) -> Phase:
    phase = Phase(visitors=2, think=1.0, seconds=seconds, started=100.0)
    phase.messages = [Message(100.0 + at, sent) for at, sent in timed]
    return phase


# --- options -------------------------------------------------------------------------------------


def test_defaults_are_ten_visitors_thinking_a_second_for_a_minute_on_two_rasa_servers():
    args, plan = parse_args([])
    assert plan.think == 1.0 and plan.steps == ((10, 60.0),) and plan.stop_above_p95_ms is None
    assert args.rasa_servers == 2 and not args.no_baseline and args.seed == 1


def test_ramp_steps_up_without_think_time_and_stops_past_500_ms():
    _, plan = parse_args(["--ramp", "--rasa-servers", "1"])
    assert plan.think == 0.0
    assert plan.steps == tuple((visitors, 20.0) for visitors in RAMP_STEPS)
    assert plan.stop_above_p95_ms == 500.0
    _, plan = parse_args(["--ramp", "--steps", "2,5", "--step-seconds", "7", "--think", "0.2"])
    assert plan.steps == ((2, 7.0), (5, 7.0)) and plan.think == 0.2


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--visitors", "0"], "must be at least 1"),
        (["--visitors", "ten"], "must be a whole number"),
        (["--think", "-1"], "zero or more"),
        (["--duration", "0"], "more than zero"),
        (["--duration", "nan"], "more than zero"),
        (["--rasa-servers", "3"], "invalid choice"),
        (["--ramp", "--steps", "4,2"], "increasing"),
        (["--ramp", "--visitors", "5"], "--visitors does not apply to --ramp"),
        (["--ramp", "--duration", "30"], "--duration does not apply to --ramp"),
        (["--step-seconds", "10"], "--step-seconds only applies with --ramp"),
        (["--json", "/no/such/folder/out.json"], "does not exist"),
    ],
)
def test_options_that_make_no_sense_are_refused_with_a_reason(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        parse_args(argv)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


# --- latency, throughput, errors -------------------------------------------------------------------


def test_summary_gives_latency_percentiles_in_milliseconds():
    phase = phase_of(*[(0.0, turn(ms / 1000)) for ms in range(1, 101)], seconds=10)
    summary = summarise(phase)
    assert summary.messages == 100
    assert summary.median_ms == pytest.approx(50.5)
    assert summary.p95_ms == pytest.approx(95.0)
    assert summary.p99_ms == pytest.approx(99.0)
    assert summary.max_ms == pytest.approx(100.0)


def test_throughput_counts_only_messages_answered_within_the_duration():
    # Visits under way at the end finish, but their late messages would stretch the window.
    phase = phase_of((1.0, turn(0.1)), (5.0, turn(0.1)), (9.5, turn(0.4)), (9.8, turn(0.5)), seconds=10)
    summary = summarise(phase)
    assert summary.messages == 4
    assert summary.per_second == pytest.approx(0.3)


def test_errors_and_degraded_replies_are_counted_apart():
    phase = phase_of(
        (0, turn(0.1)),
        (0, turn(30.0, error="TimeoutError")),
        (0, turn(0.2, error="HTTP 502: not the chat JSON")),
        (0, turn(10.0, "Sorry, I'm having trouble answering right now.", degraded=True)),
        (0, turn(0.3, f"{ACTION_APOLOGY} Please try again.")),
        (0, turn(0.1, "Sorry, I didn't quite catch that. Could you put it another way?")),
    )
    summary = summarise(phase)
    assert summary.errors == 2
    assert summary.error_kinds == {"TimeoutError": 1, "HTTP 502: not the chat JSON": 1}
    assert summary.degraded == 2  # a fallback "Sorry, I didn't catch that" is an answer, not a failure


def test_degraded_kinds_name_what_failed():
    assert degraded_kind(turn(1, degraded=True)).startswith("gateway apology")
    assert degraded_kind(turn(1, f"{ACTION_APOLOGY} ...")).startswith("action apology")
    assert degraded_kind(turn(1, f"Sorry, I {STORE_FAILED} just now.")) == "enquiry could not be saved"
    assert degraded_kind(turn(1, "The MHA is a master's degree.")) is None


def test_an_empty_phase_has_no_latency_rather_than_failing():
    summary = summarise(phase_of())
    assert summary.messages == 0 and summary.per_second == 0
    assert summary.p95_ms != summary.p95_ms  # NaN: printed as "-"


def test_sustained_rate_is_the_fastest_step_still_under_the_p95_limit():
    steps = [summarise(phase_of(*[(0, turn(0.1))] * count, seconds=1)) for count in (10, 30)] + [
        summarise(phase_of(*[(0, turn(0.9))] * 50, seconds=1))
    ]
    best = sustained_rate(steps, p95_limit_ms=500)
    assert best.per_second == 30
    assert sustained_rate(steps[2:], p95_limit_ms=500) is None


# --- leads ---------------------------------------------------------------------------------------


def enquiry(email: str, reference: str | None = None, gave_up: str = "", store_failed: bool = False) -> Visit:
    return Visit("enquiry", email=email, reference=reference, gave_up=gave_up, store_failed=store_failed)


def test_leads_are_checked_against_what_visitors_were_told():
    visits = [
        enquiry("a@example.org", "BA-AAAAAA"),
        enquiry("b@example.org", "BA-BBBBBB"),  # told, never stored: lost
        enquiry("c@example.org", "BA-CCCCCC"),  # stored twice: duplicated
        enquiry("d@example.org", gave_up="unexpected reply: 'hmm'"),  # stored, never told
        enquiry("e@example.org", gave_up="unexpected reply: 'hmm'", store_failed=True),
        Visit("faq"),
    ]
    stored = [
        ("a@example.org", "BA-AAAAAA"),
        ("c@example.org", "BA-CCCCCC"),
        ("c@example.org", "BA-DDDDDD"),
        ("d@example.org", "BA-EEEEEE"),
    ]
    check = reconcile_leads(visits, stored)
    assert (check.enquiries, check.confirmed, check.stored) == (5, 3, 4)
    assert check.lost == ["BA-BBBBBB"]
    assert check.duplicated == ["c@example.org"]
    assert check.unconfirmed == ["d@example.org"]
    assert check.store_failed == 1
    assert check.gave_up == {"unexpected reply: 'hmm'": 2}


def test_a_reference_stored_under_another_email_counts_as_lost():
    check = reconcile_leads([enquiry("a@example.org", "BA-AAAAAA")], [("z@example.org", "BA-AAAAAA")])
    assert check.lost == ["BA-AAAAAA"]


# --- processes and targets -----------------------------------------------------------------------


def test_descendants_include_grandchildren_only_of_the_process_asked_about():
    parents = {10: 1, 11: 10, 12: 11, 20: 1, 21: 20}
    assert sorted(descendants(10, parents)) == [11, 12]
    assert descendants(12, parents) == []


def test_memory_limits_follow_the_process_names_the_stack_gives():
    assert memory_limit_mib("Rasa server 2") == pytest.approx(1239.8, abs=0.1)
    assert memory_limit_mib("Action server") == pytest.approx(190.7, abs=0.1)
    assert memory_limit_mib("Gateway") == pytest.approx(143.1, abs=0.1)
    assert memory_limit_mib("Stock Rasa server") is None  # the baseline has no target


def test_target_verdicts_say_met_or_missed_for_each_target():
    _, plan = parse_args([])
    summary = summarise(phase_of(*[(0, turn(0.2))] * 20))
    leads = LeadCheck(3, 3, 3, [], [], [], 0, {})
    memory = [ProcessMemory("Rasa server 1", 1, 1000, 1500, 0, 0), ProcessMemory("Gateway", 2, 90, 100, 0, 0)]
    verdicts = {name: (met, measured) for name, met, measured in target_verdicts(plan, [summary], leads, memory, 2)}
    assert verdicts["p95 under 150 ms (target set for 10 visitors, 1 s think)"] == (
        False,
        "200 ms at 2 visitors, 1 s think",
    )
    assert verdicts["zero errors"][0] is True
    assert verdicts["zero lost or duplicated leads"][0] is True
    assert verdicts["Rasa server 1: peak RSS under 1,240 MiB"] == (False, "1,500 MiB")
    assert verdicts["Gateway: peak RSS under 143 MiB"][0] is True


def test_ramp_verdict_for_one_rasa_server_is_the_40_messages_per_second_target():
    _, plan = parse_args(["--ramp", "--rasa-servers", "1"])
    steps = [summarise(phase_of(*[(0, turn(0.1))] * 45, seconds=1))]
    verdicts = target_verdicts(plan, steps, LeadCheck(0, 0, 0, [], [], [], 0, {}), [], 1)
    assert verdicts[0] == ("1 Rasa server: at least 40 msg/s before p95 > 500 ms", True, "45.0 msg/s at 2 visitors")


def test_cpu_per_message_is_the_measured_processes_cpu_time_shared_out():
    phase = phase_of(*[(0, turn(0.1))] * 40)
    phase.cpu = {"machine": 2.0, "measured processes": 0.5, "load generator": 0.1, "other work": 1.4, "seconds": 20}
    assert summarise(phase).cpu_ms_per_message == pytest.approx(250.0)  # 0.5 cores x 20 s / 40 messages
    assert summarise(phase_of()).cpu_ms_per_message != summarise(phase_of()).cpu_ms_per_message  # NaN


def test_a_stock_ramp_that_went_further_than_ours_is_still_printed(capsys):
    ours = [summarise(phase_of(*[(0, turn(0.1))] * 10))]
    stock = [summarise(phase_of(*[(0, turn(0.05))] * 10)), summarise(phase_of(*[(0, turn(0.6))] * 10))]
    print_phase_table(ours, stock)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines[1:]] == ["ours", "stock", "ours/stock:", "stock"]
    assert "median 2.00" in lines[3]


def test_cpu_per_message_by_process_adds_up_every_phase():
    first, second = phase_of(*[(0, turn(0.1))] * 30), phase_of(*[(0, turn(0.1))] * 10)
    first.cpu, first.cpu_by_process = {"seconds": 10}, {"Rasa server": 0.8, "Gateway": 0.1}
    second.cpu, second.cpu_by_process = {"seconds": 20}, {"Rasa server": 0.5, "Gateway": 0.05}
    by_process = cpu_ms_by_process([first, second])
    assert by_process["Rasa server"] == pytest.approx((8 + 10) * 1000 / 40)
    assert by_process["Gateway"] == pytest.approx((1 + 1) * 1000 / 40)
