"""Write examples/ecbplus/ecbplus_sample.jsonl: the first five documents of the ECB+ sub-topic of eight training topics.

python scripts/make_ecbplus_sample.py [path/to/ecbplus_train_dev.jsonl]
"""

import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOPICS = {1, 3, 4, 7, 9, 19, 20, 27}
PER_SUBTOPIC = 5


def main(source: Path) -> None:
    groups: dict[str, list[dict[str, str]]] = defaultdict(list)
    for line in source.read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        if (
            doc["topic"] in TOPICS
            and doc["subtopic"].endswith("ecbplus")
            and doc["split_cybulska_vossen_2015"] == "train"
        ):
            groups[doc["subtopic"]].append(doc)
    rows = []
    for subtopic in sorted(groups, key=lambda s: (int("".join(c for c in s if c.isdigit())), s)):
        for doc in sorted(groups[subtopic], key=lambda d: d["doc_id"])[:PER_SUBTOPIC]:
            rows.append(json.dumps({"title": doc["title"], "text": doc["text"]}, ensure_ascii=False))
    target = ROOT / "examples" / "ecbplus" / "ecbplus_sample.jsonl"
    target.write_text("\n".join(rows) + "\n", encoding="utf-8")
    print(f"wrote {len(rows)} documents to {target}")


if __name__ == "__main__":
    default = ROOT.parent / "shared" / "eval" / "ecbplus" / "ecbplus_train_dev.jsonl"
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else default)
