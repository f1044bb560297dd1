"""One-off converter, kept for traceability: the content brief's Part C into data/stats/*.yml.

It was run once to seed data/stats/; the YAML files are the source of truth from then on, and
are edited by hand. Run: .venv/bin/python tools/convert_brief_stats.py ../shared/content-brief.md
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

IDS = {
    "ST-S01": ("execs-daily-social-use-2010", "finding", "adoption"),
    "ST-S02": ("execs-linkedin-use-2010", "finding", "adoption"),
    "ST-S03": ("execs-blogging-2010", "finding", "adoption"),
    "ST-S04": ("execs-internal-network-2010", "finding", "adoption"),
    "ST-S05": ("execs-prefer-social-ceo-seed", "finding", "social-ceo"),
    "ST-S06": ("employees-prefer-social-ceo-seed", "finding", "social-ceo"),
    "ST-S07": ("unknown-facebook-account-friends", "anecdote", "cases"),
    "ST-S08": ("unknown-facebook-accounts-extra", "anecdote", "cases"),
    "ST-S09": ("teaching-slot-minutes", "framework", "show-and-tell"),
    "ST-S10": ("execs-narrow-uses", "framework", "hesitation"),
    "ST-S11": ("key-actions-win-ceos", "framework", "show-and-tell"),
    "ST-S12": ("show-and-tell-approaches", "framework", "show-and-tell"),
    "ST-S13": ("self-check-questions", "framework", "homework"),
    "ST-S14": ("board-readiness-questions", "framework", "tough-questions"),
    "ST-S15": ("support-scale-levels", "framework", "support-scale"),
    "ST-S16": ("anxiety-reducers", "framework", "hesitation"),
    "ST-S17": ("persistence-factors", "framework", "persistence"),
    "ST-S18": ("information-gap-reactions", "framework", "hesitation"),
    "ST-S19": ("indirect-customer-blog-uses", "framework", "tough-questions"),
    "ST-S20": ("cynical-rules", "framework", "support-scale"),
    "ST-S21": ("bridge-commenter-age", "anecdote", "generations"),
    "ST-S22": ("mckinsey-facebook-month", "anecdote", "cases"),
    "ST-S27": ("rogers-market-position", "finding", "cases"),
    "ST-B01": ("technographics-creators-2007", "finding", "technographics"),
    "ST-B02": ("technographics-critics-2007", "finding", "technographics"),
    "ST-B03": ("technographics-collectors-2007", "finding", "technographics"),
    "ST-B04": ("technographics-joiners-2007", "finding", "technographics"),
    "ST-B05": ("technographics-spectators-2007", "finding", "technographics"),
    "ST-B06": ("technographics-inactives-2007", "finding", "technographics"),
    "ST-B07": ("technographics-inactives-age-2007", "finding", "technographics"),
    "ST-B08": ("technographics-creators-2010", "finding", "technographics"),
    "ST-B09": ("technographics-conversationalists-2010", "finding", "technographics"),
    "ST-B10": ("technographics-critics-2010", "finding", "technographics"),
    "ST-B11": ("technographics-collectors-2010", "finding", "technographics"),
    "ST-B12": ("technographics-joiners-2010", "finding", "technographics"),
    "ST-B13": ("technographics-spectators-2010", "finding", "technographics"),
    "ST-B14": ("technographics-inactives-2010", "finding", "technographics"),
    "ST-B15": ("conversationalists-female-2010", "finding", "technographics"),
    "ST-B16": ("conversationalists-over-30-2010", "finding", "technographics"),
    "ST-B17": ("technographics-countries-2010", "finding", "technographics"),
    "ST-B18": ("us-adults-social-networking-2015", "finding", "generations"),
    "ST-B19": ("us-18-29-social-networking-2015", "finding", "generations"),
    "ST-B20": ("us-65-plus-social-networking-2015", "finding", "generations"),
    "ST-B21": ("us-adults-social-media-2021", "finding", "generations"),
    "ST-B22": ("us-18-29-social-media-2021", "finding", "generations"),
    "ST-B23": ("us-30-49-social-media-2021", "finding", "generations"),
    "ST-B24": ("us-50-64-social-media-2021", "finding", "generations"),
    "ST-B25": ("us-65-plus-social-media-2021", "finding", "generations"),
    "ST-B26": ("trust-person-like-me-2006", "finding", "trust"),
    "ST-B27": ("trust-friends-peers-2010", "finding", "trust"),
    "ST-B28": ("trust-friends-family-2012", "finding", "trust"),
    "ST-B29": ("trust-friends-family-2015", "finding", "trust"),
    "ST-B30": ("trust-online-opinions-2015", "finding", "trust"),
    "ST-B31": ("execs-want-social-ceo-2013", "finding", "social-ceo"),
    "ST-B32": ("employees-prefer-social-leadership-2012", "finding", "social-ceo"),
    "ST-B33": ("employees-trust-social-leadership-2012", "finding", "social-ceo"),
    "ST-B34": ("top50-ceos-online-2012", "finding", "social-ceo"),
    "ST-B35": ("top50-ceos-online-2015", "finding", "social-ceo"),
    "ST-B36": ("fortune500-ceos-absent-2016", "finding", "social-ceo"),
    "ST-B37": ("ceos-participating-ibm-2012", "finding", "social-ceo"),
    "ST-B38": ("execs-linkedin-sncr-2010", "finding", "adoption"),
    "ST-B39": ("obstacle-management-resistance-2010", "finding", "hesitation"),
    "ST-B40": ("obstacle-confidentiality-2010", "finding", "governance"),
    "ST-B41": ("businesses-measuring-roi-2010", "finding", "roi"),
    "ST-B42": ("cmos-quantitative-proof-2014", "finding", "roi"),
    "ST-B43": ("cmos-qualitative-sense-2014", "finding", "roi"),
    "ST-B44": ("cmos-no-proof-2014", "finding", "roi"),
    "ST-B45": ("social-budget-share-2014", "finding", "roi"),
    "ST-B46": ("social-budget-share-2018", "finding", "roi"),
    "ST-B47": ("gm-fastlane-roi-2005", "finding", "roi"),
    "ST-B48": ("gm-fastlane-roi-2006", "finding", "roi"),
    "ST-B49": ("crises-preventable-2011", "finding", "crisis"),
    "ST-B50": ("crisis-plan-prepared-2011", "finding", "crisis"),
    "ST-B51": ("dormant-companies-2011", "finding", "adoption"),
    "ST-B52": ("cross-department-council-2011", "finding", "silos"),
    "ST-B53": ("barcelona-principles-vote-2010", "finding", "roi"),
    "ST-B54": ("gdpr-maximum-fine", "rule", "governance"),
    "ST-B55": ("finra-correspondence-threshold", "rule", "governance"),
    "ST-B56": ("rogers-care-team", "finding", "cases"),
    "ST-B57": ("comcast-tweets-handled-2008", "finding", "cases"),
    "ST-B58": ("netflix-ceo-post-2012", "finding", "governance"),
    "ST-B59": ("two-year-integration-2010", "finding", "persistence"),
}
# Structural entries (titles, dates, page residue) are not findings: ST-S23..ST-S26, ST-S28.

ROLES = {
    "roi": ["cfo", "cmo", "ceo"],
    "technographics": ["cmo", "ceo"],
    "trust": ["cmo", "ceo", "board"],
    "generations": ["cmo", "chro", "ceo"],
    "social-ceo": ["ceo", "board", "chro"],
    "governance": ["legal", "board", "cio"],
    "crisis": ["coo", "board", "cio", "legal"],
    "cases": ["coo", "cmo"],
    "adoption": ["ceo", "board"],
    "silos": ["coo", "chro"],
    "persistence": [],
    "hesitation": ["ceo"],
}
INDUSTRY = {
    "ST-B55": "financial-services", "ST-B56": "telecom", "ST-S27": "telecom",
    "ST-B57": "telecom", "ST-B58": "media", "ST-B47": "automotive", "ST-B48": "automotive",
}
EXTRA_ROLES = {"ST-B40": ["cio", "legal"], "ST-B52": ["coo"], "ST-B36": ["ceo"], "ST-B56": ["coo"],
               "ST-B57": ["coo"], "ST-B58": ["legal", "ceo", "board"], "ST-B51": ["ceo", "board"],
               "ST-B38": ["chro"], "ST-B39": ["ceo"]}

SEED_ORG = {
    "000_21a38449091ec4b7.txt": "Jeremiah Owyang, Web Strategy blog",
}


def year_fields(raw: str) -> dict:
    raw = str(raw).strip()
    if re.fullmatch(r"\d{4}", raw):
        return {"year": int(raw)}
    m = re.match(r"^(\d{4})\b", raw)
    if m:
        return {"year": int(m.group(1)), "year_note": raw}
    m = re.search(r"(\d{4})", raw)
    out = {"year": None, "year_note": raw}
    if m and ("about" in raw or "probably" in raw):
        out["year_estimate"] = int(m.group(1))
    return out


def verification(e: dict) -> dict:
    text = e["verification"]
    low = text.lower()
    org = e.get("source_org", "")
    if low.startswith("not verified") or "cannot be verified" in low or low.startswith("anecdote"):
        return {"status": "unverified", "by": org, "note": text}
    if low.startswith("verified"):
        return {"status": "verified", "note": text}
    if "secondary" in low or "quoted" in low or "copy" in low or "mirror" in low or "partly" in low:
        return {"status": "reported", "by": org, "note": text}
    return {"status": "reported", "by": org, "note": text}


def convert(e: dict) -> dict | None:
    if e["id"] not in IDS:
        return None
    sid, kind, topic = IDS[e["id"]]
    out = {"id": sid, "brief_id": e["id"], "kind": kind, "claim": e["claim"], "value": str(e["value"])}
    try:
        out["amount"] = float(str(e["value"]).replace(",", ""))
    except ValueError:
        pass
    out["unit"] = e["unit"]
    out["population"] = e["population"]
    out.update(year_fields(e["year"]))
    source = {"title": e["source_title"], "publisher": e.get("source_org", "n/a")}
    url = e.get("source_url", "")
    if url.startswith("http"):
        source["url"] = url
    seed = e.get("seed_file", "")
    if seed.endswith(".txt"):
        source["seed"] = seed
    out["source"] = source
    out["verification"] = verification(e)
    tags = [f"topic:{topic}"]
    roles = list(dict.fromkeys(ROLES.get(topic, []) + EXTRA_ROLES.get(e["id"], [])))
    tags += [f"role:{r}" for r in roles]
    if e["id"] in INDUSTRY:
        tags.append(f"industry:{INDUSTRY[e['id']]}")
    if e["id"].startswith("ST-S"):
        tags.append("origin:seed")
    out["tags"] = tags
    if e.get("notes"):
        out["verification"]["note"] += " " + e["notes"]
    return out


GROUPS = {
    "seeds.yml": lambda s: s["brief_id"].startswith("ST-S"),
    "technographics.yml": lambda s: "topic:technographics" in s["tags"],
    "audiences.yml": lambda s: "topic:generations" in s["tags"] or "topic:trust" in s["tags"],
    "leaders.yml": lambda s: "topic:social-ceo" in s["tags"] or "topic:adoption" in s["tags"],
    "business-case.yml": lambda s: "topic:roi" in s["tags"] or "topic:hesitation" in s["tags"] or "topic:persistence" in s["tags"] or "topic:silos" in s["tags"],
    "governance.yml": lambda s: True,
}


def main() -> None:
    brief = Path(sys.argv[1]).read_text()
    block = brief.split("## 4. Part C")[1].split("```yaml")[1].split("```")[0]
    stats = [s for s in (convert(e) for e in yaml.safe_load(block)) if s]
    out_dir = Path("data/stats")
    out_dir.mkdir(parents=True, exist_ok=True)
    left = stats
    for name, pred in GROUPS.items():
        mine = [s for s in left if pred(s)]
        left = [s for s in left if not pred(s)]
        header = "# Statistics: see data/README.md for the schema. Edit by hand.\n"
        (out_dir / name).write_text(header + yaml.safe_dump(mine, sort_keys=False, allow_unicode=True, width=100))


if __name__ == "__main__":
    main()
