"""Markdown written to make a parser slow: each input is a field's worth (20,000 characters,
the longest a block field takes) of a pattern that is super-linear in some Markdown parser.
``make bench`` times their conversion and a whole-MOU page with a block full of them; the
tests check that each converts and comes out sanitized."""

SIZE = 20_000


def _fill(pattern: str, size: int = SIZE) -> str:
    return (pattern * (size // len(pattern) + 1))[:size]


HOSTILE_MARKDOWN: dict[str, str] = {
    # The finding: Python-Markdown took 75 s on 20,000 of these and 7 s on 6,000.
    "6,000 [": "[" * 6_000,
    "20,000 [": "[" * SIZE,
    "nested links [a](": _fill("[a]("),
    "image openers ![[": _fill("![["),
    "unclosed link destination [a](<": _fill("[a](<"),
    'unclosed link title [a](b "': _fill('[a](b "'),
    "link reference definitions": _fill("[a]: b\n", SIZE - 3) + "[a]",
    "reference uses [x][y]": _fill("[x][y]"),
    "emphasis *a ": _fill("*a "),
    "mixed emphasis *_": _fill("*_"),
    "intraword underscores a_": _fill("a_"),
    "strong runs ***": _fill("***a"),
    "backticks `": "`" * SIZE,
    "backtick runs": "".join("`" * i + "a" for i in range(1, 200)),
    "angle brackets <": "<" * SIZE,
    "unclosed tags <a b='": _fill("<a b='"),
    "unclosed comments <!--": _fill("<!--"),
    "unclosed autolinks <http://": _fill("<http://"),
    "entities &#": _fill("&#"),
    "backslashes": "\\" * SIZE,
    "nested block quotes >": ">" * SIZE,
    "nested lists": "".join("  " * (i % 100) + "- a\n" for i in range(SIZE // 100)),
    "table rows": "a|b\n-|-\n" + _fill("c|d\n", SIZE - 8),
    "wide table": "|".join("a" * 3 for _ in range(1_000))
    + "\n"
    + "|".join("-" * 3 for _ in range(1_000))
    + "\n"
    + _fill("x|\n", SIZE // 4),
    "everything at once": _fill("**_`[<a href>](![x]("),
}


# None longer than a block field takes.
HOSTILE_MARKDOWN = {name: text[:SIZE] for name, text in HOSTILE_MARKDOWN.items()}


def hostile_markdown_measure(*, probe=None, repeat: int = 3) -> dict:
    """Seconds to convert each hostile input (best of ``repeat``, CPU time of this process),
    then the probe's block saved with the slowest ones in its three text fields through the
    service, and the whole-MOU page that shows it (median of ``repeat``)."""
    import statistics
    import time

    from bench.measure import PAGE_USER, _clients, _get, probe_find
    from core.actor import Actor
    from core.models import User
    from core.text import markdown_render
    from mou.models import RoleBlock
    from mou.services import block_save_draft

    inputs = {}
    for name, text in HOSTILE_MARKDOWN.items():
        best, html = float("inf"), ""
        for _ in range(repeat):
            started = time.process_time()
            html = markdown_render(text)
            best = min(best, time.process_time() - started)
        inputs[name] = {"chars": len(text), "seconds": best, "html_bytes": len(html)}
    slowest = sorted(inputs, key=lambda name: inputs[name]["seconds"], reverse=True)
    probe = probe or probe_find()
    block = RoleBlock.objects.get(pk=probe.block_id)
    fields = dict(
        zip(RoleBlock.TEXT_FIELDS, (HOSTILE_MARKDOWN[name] for name in slowest), strict=False)
    )
    started = time.perf_counter()
    block_save_draft(
        block=block,
        actor=Actor.of(User.objects.get(pk=probe.lead_id)),
        data=fields,
        expected_revision=block.revision,
    )
    save_s = time.perf_counter() - started
    role = PAGE_USER["document"]
    client = _clients(probe)[role]
    url = probe.url("document")
    _get(client, url)  # warm-up
    samples, response = [], None
    for _ in range(repeat):
        response, took = _get(client, url)
        samples.append(took)
    return {
        "inputs": inputs,
        "block_fields": {field: slowest[i] for i, field in enumerate(fields)},
        "block_save_s": save_s,
        "document": {
            "status": response.status_code,
            "bytes": len(response.content),
            "median_ms": statistics.median(samples),
            "user": role,
        },
    }
