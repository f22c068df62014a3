"""Reading scraped plain text: header facts out, page furniture out, every story line kept.

The fixture articles are fictional and written for these tests; their furniture takes the
shapes scrapers leave (logo alt text, slug lines, slash credits, link lists, prompts).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.read.clean import PlainText, common_lines, is_page_furniture, read_plain
from tests.strategies import hostile_text

COURIER = """Valley Courier logo

Ferry Service Resumes After Harbour Fire

By Ana Ruiz, Ben Oduya and Chen Li
Posted July 20, 2009
PORTVILLE, Maine — The ferry between Portville and Gull Island sailed again on Monday, three days after a fire closed the harbour terminal.

JOHN DOE/AP/Getty Images

Harbour master Tom Reed said the crews had worked through the weekend to clear the pier.

“We owe the volunteers more than we can say. They kept the island supplied when nothing else moved” – Mayor Lisa Grant

Background

The terminal was built in 1974 and last renovated in 2003.

Related stories

Island Bakery Wins Regional Prize For Its Rye Loaf

Courier Staff

New Lighthouse Keeper Named After Long Search

Maria Stone

Sign up for our morning newsletter to get the harbour news first!
"""

LEDGER_ONE = """Northern Ledger
Local | Transport

Council Approves Night Buses for the Old Town

Passengers wait for a bus on Mill Street at dusk

(LINDEN, Norway) – The city council on Tuesday approved a trial of night buses through the old town, after a two-year campaign by residents.
The trial starts in spring and costs 4 million crowns.
“It is about time,” said resident Petra Lund.
Share your thoughts with us in the comments below.
"""

LEDGER_TWO = """Northern Ledger
Local | Weather

Storm Closes Mountain Pass for Second Day

A snowplough on the pass road on Wednesday

Snow closed the Eik mountain pass for a second day on Wednesday, and the road authority said it would stay shut until the wind drops.
The trial starts in spring and costs 4 million crowns.
Share your thoughts with us in the comments below.
"""

WIRE = """MAINE-FERRY-FIRE
Gull Island ferry sails again
A ferry crew member at the pier in Portville

The ferry sailed again on Monday after a fire closed the terminal on Friday.
Advertisement
Officials said the cause of the fire was still being investigated.
Injured in the fire were:
Sam Price
Jo Walsh
Both were treated and released.
COMMENTS
Please keep your comments civil and on topic.
"""

SINGLE_LINES = """Island School Reopens After Repairs
On the September 3, the island school opened its doors again after a summer of repairs.
Head teacher Ola Berg thanked the parents, calling the new roof “a gift to the children.”
The school has 41 pupils this year.
Image credit: Gull Island Council
By Ingrid Solberg"""

MID_BLOCK = """Quarry Plan Draws Objections

More than 300 residents objected to the quarry plan at Tuesday's hearing.

Read more:
Quarry Company Posts Record Profit Despite Delays
Council Delays Vote On Gravel Road Again

The company said the plan would bring 40 jobs to the valley.
The council will vote in June.
"""

NO_HEADLINE = """A fire broke out at a warehouse in the port early on Friday, officials said.
Nobody was hurt.
Firefighters stayed at the scene until noon."""

WRAPPED = """Harbour Fees Rise

By Jon Hale

The port authority raised its fees on Monday for the first time in a decade, citing the
cost of dredging the channel and repairing the north pier after the winter storms.

The new fees take effect in May.
"""


def _lines(body: str) -> list[str]:
    return body.split("\n\n")


@pytest.mark.parametrize(
    ("raw", "title", "outlet", "byline", "dateline", "printed"),
    [
        (
            COURIER,
            "Ferry Service Resumes After Harbour Fire",
            "Valley Courier",
            ["Ana Ruiz", "Ben Oduya", "Chen Li"],
            "PORTVILLE, Maine",
            "Posted July 20, 2009",
        ),
        (WIRE, "Gull Island ferry sails again", None, [], None, None),
        (SINGLE_LINES, "Island School Reopens After Repairs", None, ["Ingrid Solberg"], None, None),
        (NO_HEADLINE, None, None, [], None, None),
        (WRAPPED, "Harbour Fees Rise", None, ["Jon Hale"], None, None),
    ],
)
def test_header_facts(
    raw: str,
    title: str | None,
    outlet: str | None,
    byline: list[str],
    dateline: str | None,
    printed: str | None,
) -> None:
    plain = read_plain(raw)
    assert isinstance(plain, PlainText)
    assert (plain.title, plain.outlet, plain.byline) == (title, outlet, byline)
    assert (plain.dateline, plain.printed_date) == (dateline, printed)


@pytest.mark.parametrize(
    ("raw", "gone", "kept"),
    [
        (
            COURIER,
            [
                "Valley Courier logo",
                "Ferry Service Resumes After Harbour Fire",
                "By Ana Ruiz, Ben Oduya and Chen Li",
                "Posted July 20, 2009",
                "JOHN DOE/AP/Getty Images",
                "Related stories",
                "Island Bakery Wins Regional Prize For Its Rye Loaf",
                "Courier Staff",
                "New Lighthouse Keeper Named After Long Search",
                "Maria Stone",
                "Sign up for our morning newsletter to get the harbour news first!",
            ],
            [
                "PORTVILLE, Maine — The ferry between Portville",
                "Harbour master Tom Reed said",
                "They kept the island supplied when nothing else moved” – Mayor Lisa Grant",
                "The terminal was built in 1974 and last renovated in 2003.",
            ],
        ),
        (
            WIRE,
            [
                "MAINE-FERRY-FIRE",
                "A ferry crew member at the pier in Portville",
                "Advertisement",
                "COMMENTS",
                "Please keep your comments civil and on topic.",
            ],
            [
                "The ferry sailed again on Monday",
                "Officials said the cause",
                "Injured in the fire were:",
                "Sam Price",
                "Jo Walsh",
                "Both were treated and released.",
            ],
        ),
        (
            SINGLE_LINES,
            ["Image credit: Gull Island Council", "By Ingrid Solberg"],
            ["On the September 3", "calling the new roof", "The school has 41 pupils this year."],
        ),
        (NO_HEADLINE, [], ["A fire broke out", "Nobody was hurt.", "until noon."]),
        (
            MID_BLOCK,
            [
                "Read more:",
                "Quarry Company Posts Record Profit Despite Delays",
                "Council Delays Vote On Gravel Road Again",
            ],
            ["More than 300 residents", "bring 40 jobs", "The council will vote in June."],
        ),
    ],
)
def test_furniture_goes_and_story_stays(raw: str, gone: list[str], kept: list[str]) -> None:
    body = read_plain(raw).body
    lines = _lines(body)
    for line in gone:
        assert line not in lines, line
    for text in kept:
        assert text in body, text


def test_paragraphs_are_separated_by_blank_lines_and_wrapped_lines_joined() -> None:
    body = read_plain(WRAPPED).body
    assert _lines(body) == [
        "The port authority raised its fees on Monday for the first time in a decade, citing "
        "the cost of dredging the channel and repairing the north pier after the winter storms.",
        "The new fees take effect in May.",
    ]


def test_common_lines_are_short_lines_repeated_across_files() -> None:
    shared = common_lines([LEDGER_ONE, LEDGER_TWO, COURIER])
    assert "northern ledger" in shared
    assert "share your thoughts with us in the comments below." in shared
    assert "the trial starts in spring and costs 4 million crowns." in shared
    assert not any("storm closes" in line for line in shared)
    assert common_lines([LEDGER_ONE, LEDGER_TWO], min_count=3) == frozenset()


def test_repetition_across_the_batch_is_extra_evidence() -> None:
    shared = common_lines([LEDGER_ONE, LEDGER_TWO])
    one = read_plain(LEDGER_ONE, common_lines=shared)
    assert one.outlet == "Northern Ledger"
    assert one.title == "Council Approves Night Buses for the Old Town"
    assert one.dateline == "LINDEN, Norway"
    lines = _lines(one.body)
    assert "Local | Transport" not in lines
    assert "Passengers wait for a bus on Mill Street at dusk" not in lines
    assert "Share your thoughts with us in the comments below." not in lines
    # A repeated story sentence is prose inside the story: repetition alone does not remove it.
    assert "The trial starts in spring and costs 4 million crowns." in lines
    assert lines[-1] == "“It is about time,” said resident Petra Lund."
    # After the story's last paragraph, repetition marks furniture even in a closed sentence.
    two = read_plain(LEDGER_TWO, common_lines=shared)
    assert _lines(two.body) == [
        "Snow closed the Eik mountain pass for a second day on Wednesday, and the road "
        "authority said it would stay shut until the wind drops."
    ]


@pytest.mark.parametrize(
    ("first_paragraph", "dateline"),
    [
        ("(NOVO OGARYOVO, Russia) – On Tuesday the leaders met.", "NOVO OGARYOVO, Russia"),
        ("WASHINGTON (Reuters) - The Senate voted on Monday.", "WASHINGTON"),
        ("NEW YORK, N.Y. — Markets fell sharply on Friday.", "NEW YORK, N.Y."),
        ("BERGEN, Norway -- Rain fell for the ninth day in a row.", "BERGEN, Norway"),
        ("A FIRE-BOMB attack on a bank left three people dead.", None),
        ("The vote - the first in years - passed.", None),
    ],
)
def test_datelines(first_paragraph: str, dateline: str | None) -> None:
    assert read_plain(f"Some Headline Here Today\n\n{first_paragraph}").dateline == dateline


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("By Tea Mariamidze and Khatia Kardava", ["Tea Mariamidze", "Khatia Kardava"]),
        ("By A. Smith, B. Jones and C. de la Cruz", ["A. Smith", "B. Jones", "C. de la Cruz"]),
        ("BY Ana Ruiz, Ben Oduya, and Chen Li", ["Ana Ruiz", "Ben Oduya", "Chen Li"]),
        ("By Jane Doe, Staff Writer", ["Jane Doe"]),
        ("By the harbour, the gulls gathered in the early light", []),
    ],
)
def test_bylines(line: str, names: list[str]) -> None:
    raw = f"A Headline About The Harbour\n{line}\nThe ferry sailed again on Monday morning."
    assert read_plain(raw).byline == names


def test_empty_and_furniture_only_input() -> None:
    assert read_plain("") == PlainText(None, None, [], None, None, "")
    plain = read_plain("Valley Courier logo\n\nSubscribe to our newsletter!\n")
    assert plain.outlet == "Valley Courier"


def _norm(text: str) -> str:
    return " ".join(text.split()).lower()


def test_seeds_against_gold(seeds: Path) -> None:
    gold = json.loads((seeds / "gold.json").read_text(encoding="utf-8"))
    texts = {p.name: p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt"))}
    shared = common_lines(texts.values())
    assert len(texts) == len(gold["articles"])
    for name, raw in texts.items():
        expected = gold["articles"][name]
        plain = read_plain(raw, common_lines=shared)
        assert plain.title == expected["title"], name
        if expected["outlet"]:
            assert (plain.outlet or "").lower() == expected["outlet"].lower(), name
        assert sorted(plain.byline) == sorted(expected["byline"]), name
        if expected.get("dateline"):
            assert plain.dateline == expected["dateline"], name
        lines = {line.strip() for line in plain.body.splitlines()}
        for furniture in expected["boilerplate_examples"]:
            assert furniture not in lines, (name, furniture)
        for quote in gold["quotes"]:
            if quote["article"] == name:
                assert _norm(quote["starts"]) in _norm(plain.body), (name, quote["starts"])


def test_seeds_keep_every_story_paragraph(seeds: Path) -> None:
    """Every line that ends a sentence and is not a header line survives into the body."""
    gold = json.loads((seeds / "gold.json").read_text(encoding="utf-8"))["articles"]
    texts = {p.name: p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt"))}
    shared = common_lines(texts.values())
    for name, raw in texts.items():
        body = read_plain(raw, common_lines=shared).body
        for line in raw.splitlines():
            line = " ".join(line.split())
            closed = re.search(r"[a-z]{2}[.!?]$|[”\"]$|Putin$", line)
            if closed and line not in gold[name]["boilerplate_examples"] and len(line) > 20:
                assert line in body, (name, line[:40])


# --- headlines shaped like sentences, writer's notes, mastheads, captions ---------------

HARBOUR_GAZETTE = """HARBOUR GAZETTE
Town

"Hold the line!": Lindby rowers win the bay race at last
By Ola Brandt
May 4, 2021

(LINDBY) – The Lindby rowing club won the bay race on Saturday for the first time in twelve years.

Spectators crowd the harbour wall as the boats come in on Saturday.
Photo: O. Brandt/Harbour Gazette

Coach Eva Moen said the crew had trained through the winter in the dark before work.

Related stories
Rowing Club Opens New Boathouse
Staff

Tell us what you think: 5 comments

Ola Brandt covers sport and the harbour for the Harbour Gazette.
"""

QUESTION = """The Upland Post
Who pays for the new bridge over the Tarn?
By Rik Sol
12 March 2022

The county and the towns on either side of the Tarn still disagree over the cost of the bridge.

The county engineer said a decision was due in the spring.

Mona Gill is a staff reporter at the Upland Post.
"""

SYNDICATED = """Coast Times
Ferry fares to rise in spring, operator says
By Ida Vik, Fjord Wire
June 2, 2022

The ferry operator said on Thursday that fares would rise by 5% from April.

Passenger groups said the rise was too steep for island families.

This story first appeared on Fjord Wire and is used with permission.
"""


def test_a_headline_that_opens_with_a_quote_and_holds_an_exclamation_is_the_title() -> None:
    plain = read_plain(HARBOUR_GAZETTE)
    assert plain.title == '"Hold the line!": Lindby rowers win the bay race at last'
    assert plain.byline == ["Ola Brandt"]


def test_a_headline_closing_with_a_question_mark_is_the_title_not_the_story() -> None:
    plain = read_plain(QUESTION)
    assert plain.title == "Who pays for the new bridge over the Tarn?"
    assert plain.outlet == "The Upland Post"
    assert plain.body.startswith("The county and the towns")


def test_a_title_repeated_in_another_files_link_list_stays_the_title() -> None:
    other = HARBOUR_GAZETTE.replace(
        "Rowing Club Opens New Boathouse", '"Hold the Line!": Lindby Rowers Win the Bay Race'
    ).replace('"Hold the line!": Lindby rowers win the bay race at last', "Ferry Timetable Cut")
    own = HARBOUR_GAZETTE.replace(
        '"Hold the line!": Lindby rowers win the bay race at last',
        '"Hold the line!": Lindby rowers win the bay race',
    )
    shared = common_lines([own, other])
    assert read_plain(own, common_lines=shared).title == (
        '"Hold the line!": Lindby rowers win the bay race'
    )


def test_an_all_caps_masthead_takes_the_spelling_the_page_uses_elsewhere() -> None:
    assert read_plain(HARBOUR_GAZETTE).outlet == "Harbour Gazette"


@pytest.mark.parametrize(
    ("masthead", "outlet"),
    [
        ("THE DALE HERALD", "The Dale Herald"),
        ("BBC NEWS", "BBC News"),
        ("The Dale HERALD", "The Dale HERALD"),
    ],
)
def test_all_caps_mastheads_are_title_cased_and_mixed_case_kept(masthead: str, outlet: str) -> None:
    raw = QUESTION.replace("The Upland Post", masthead).replace("at the Upland Post", "here")
    assert read_plain(raw).outlet == outlet


def test_captions_credits_link_lists_prompts_and_writers_notes_leave_the_body() -> None:
    body = read_plain(HARBOUR_GAZETTE).body
    assert _lines(body) == [
        "(LINDBY) – The Lindby rowing club won the bay race on Saturday for the first time "
        "in twelve years.",
        "Coach Eva Moen said the crew had trained through the winter in the dark before work.",
    ]


def test_a_writers_note_without_a_byline_name_is_told_by_its_role() -> None:
    body = read_plain(QUESTION).body
    assert "staff reporter" not in body
    assert body.endswith("The county engineer said a decision was due in the spring.")


def test_a_notice_about_the_page_itself_leaves_the_body() -> None:
    plain = read_plain(SYNDICATED)
    assert plain.byline == ["Ida Vik"]
    assert plain.body.endswith("too steep for island families.")


@pytest.mark.parametrize(
    "closing",
    [
        "Moen said the crew would defend the title next year.",
        '"Ola Brandt is the best cox we ever had," Moen said.',
        "Ola Brandt, the club's founder, was at the finish.",
    ],
)
def test_a_closing_story_line_stays(closing: str) -> None:
    raw = HARBOUR_GAZETTE.replace(
        "Ola Brandt covers sport and the harbour for the Harbour Gazette.", ""
    ).replace("Related stories", f"{closing}\n\nRelated stories")
    assert read_plain(raw).body.endswith(closing)


def test_a_credit_inside_a_run_of_story_lines_takes_no_neighbour_with_it() -> None:
    raw = (
        "Quay Works Begin\n\nThe quay works began on Monday.\n"
        "Crews closed the north pier.\nPhoto: K. Lund/Quay News\nThe work lasts a month.\n"
    )
    assert _lines(read_plain(raw).body) == [
        "The quay works began on Monday.",
        "Crews closed the north pier.",
        "The work lasts a month.",
    ]


@given(hostile_text(400), st.lists(hostile_text(40), max_size=3))
def test_any_plain_text_reads_without_crashing(
    warm_parsers: None, raw: str, others: list[str]
) -> None:
    page = read_plain(raw, common_lines=common_lines([raw, *others]))
    assert isinstance(page, PlainText)


@pytest.mark.parametrize(
    ("line", "furniture"),
    [
        ("Skip to main content", True),
        ("Since July 1 we have disabled all ads to improve your reading experience.", True),
        ("If you're new here, add your email below to get every edition in your inbox.", True),
        ("Your support can help us keep reporting.", True),
        ("NEWSWORLDPOLITICSBUSINESSTECH OPINION", True),
        ("Anna Berg/Wire Agency", True),
        ('"We will not let you down," the mayor told the crowd on Monday.', False),
        ("The council voted on Tuesday to close the bridge, the mayor said.", False),
        ("The agency said it would publish its ads budget next week.", False),
    ],
)
def test_page_furniture_by_shape(line: str, furniture: bool) -> None:
    assert is_page_furniture(line) is furniture
