"""PolNeAR's train or dev split as the JSONL that `storyline eval quotes` reads.

PolNeAR (github.com/networkdynamics/PolNeAR) annotates attributions in US political news as brat
standoff: a Source, a Cue and a Content span joined by an `E` record. Each attribution becomes
`{cue, start, end, kind, speaker, speaker_start, speaker_end, pronoun}`:

- `start`/`end` cover the content (its first to its last fragment);
- `kind` is `direct` when most of the content lies inside quotation marks, else `indirect`;
- `speaker` is the source's words; for a he/she source (`pronoun: true`) it is the name CoreNLP's
  coreference (shipped with the corpus) gives that pronoun, or null where it names nobody. That
  reference is automatic, so the pronoun figure is measured against a noisy key.

The corpus has no licence: run this on a copy outside the repository and write the output outside
it too. The test split is refused. Articles annotated by several annotators keep the first.

    git --git-dir=<mirror> archive ... | tar -x -C /tmp/polnear   # or any checkout
    python benchmarks/polnear_to_jsonl.py /tmp/polnear dev /tmp/polnear-dev.jsonl
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

_PRONOUNS = frozenset({"he", "she"})
_ANY_PRONOUN = frozenset(
    [
        "i",
        "you",
        "he",
        "she",
        "it",
        "we",
        "they",
        "me",
        "him",
        "her",
        "us",
        "them",
        "his",
        "its",
        "our",
        "their",
    ]
)
_QUOTED = re.compile(r"[“\"„«]([^“”\"«»]*)[”\"»]")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path, help="a checked-out PolNeAR (holding data/)")
    parser.add_argument("split", choices=["train", "dev"])
    parser.add_argument("output", type=Path, help="the JSONL to write (outside the repository)")
    args = parser.parse_args()
    base = args.root / "data" / args.split
    written = attributions = 0
    with args.output.open("w", encoding="utf-8") as out:
        for text_path in sorted((base / "text").glob("*.txt")):
            annotations = sorted((base / "attributions").glob(text_path.stem + "_*.ann"))
            if not annotations:
                continue
            text = text_path.read_text(encoding="utf-8")
            corenlp = base / "corenlp" / (text_path.name + ".xml")
            names = _coreference(corenlp) if corenlp.exists() else {}
            quotes = _attributions(annotations[0].read_text(encoding="utf-8"), text, names)
            out.write(json.dumps({"id": text_path.stem, "text": text, "quotes": quotes}) + "\n")
            written += 1
            attributions += len(quotes)
    print(f"{written} articles, {attributions} attributions -> {args.output}", file=sys.stderr)


def _attributions(ann: str, text: str, names: dict[int, str]) -> list[dict[str, Any]]:
    spans: dict[str, list[tuple[int, int]]] = {}
    for line in ann.splitlines():
        fields = line.split("\t")
        if line.startswith("T") and len(fields) >= 2:
            _, _, offsets = fields[1].partition(" ")
            spans[fields[0]] = [
                (int(a), int(b)) for a, b in (part.split() for part in offsets.split(";"))
            ]
    quotes = []
    for line in ann.splitlines():
        if not line.startswith("E"):
            continue
        roles = dict(part.split(":", 1) for part in line.split("\t")[1].split())
        if "Content" not in roles or roles["Content"] not in spans:
            continue
        content = spans[roles["Content"]]
        start, end = content[0][0], content[-1][1]
        source = spans.get(roles.get("Source", ""))
        speaker = speaker_start = speaker_end = None
        pronoun = False
        if source:
            speaker_start, speaker_end = source[0][0], source[-1][1]
            speaker = text[speaker_start:speaker_end]
            if speaker.strip().lower() in _PRONOUNS:
                pronoun = True
                speaker = names.get(speaker_start)
        cue = spans.get(roles.get("Cue", ""))
        quotes.append(
            {
                "cue": " ".join(text[a:b] for a, b in cue) if cue else None,
                "start": start,
                "end": end,
                "kind": _kind(" ".join(text[a:b] for a, b in content)),
                "speaker": speaker,
                "speaker_start": speaker_start,
                "speaker_end": speaker_end,
                "pronoun": pronoun,
            }
        )
    return sorted(quotes, key=lambda q: q["start"])


def _kind(content: str) -> str:
    """Direct when quotation marks hold most of the content's letters."""
    letters = sum(c.isalnum() for c in content)
    quoted = sum(c.isalnum() for m in _QUOTED.finditer(content) for c in m.group(1))
    return "direct" if letters and quoted >= 0.6 * letters else "indirect"


def _coreference(path: Path) -> dict[int, str]:
    """Character offset of each pronoun CoreNLP links to a name -> that name."""
    root = ET.parse(path).getroot()
    offsets: dict[tuple[int, int], int] = {}
    words: dict[tuple[int, int], str] = {}
    for s_index, sentence in enumerate(root.iterfind("document/sentences/sentence"), start=1):
        for token in sentence.iter("token"):
            key = (s_index, int(token.get("id", "0")))
            offsets[key] = int(token.findtext("CharacterOffsetBegin", "0"))
            words[key] = token.findtext("word", "")
    found: dict[int, str] = {}
    chains = root.find("document/coreference")
    for chain in chains if chains is not None else []:
        mentions = [
            (
                int(m.findtext("sentence", "0")),
                int(m.findtext("start", "0")),
                m.findtext("text", ""),
            )
            for m in chain.iter("mention")
        ]
        # The first short mention that is a name: a representative may be a long description.
        named = [
            t
            for _, _, t in mentions
            if t.split()
            and all(w[:1].isupper() or w in ("'s", ".") for w in t.split())
            and t.split()[0].lower() not in _ANY_PRONOUN
            and len(t.split()) <= 4
        ]
        if not named:
            continue
        name = named[0].removesuffix(" 's")
        for sentence, start, text in mentions:
            if text.lower() in _PRONOUNS and (sentence, start) in offsets:
                found[offsets[(sentence, start)]] = name
    return found


if __name__ == "__main__":
    main()
