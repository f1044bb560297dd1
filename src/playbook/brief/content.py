"""Choose what one brief holds, from the profile and the playbook's data; no rendering here.

The role card (questions, model answers and checklists) and the support level come from
`data/roles.yml` and `data/support-scale.yml`, the objections this role raises from
`data/objections.yml`, the figures from `data/stats/` (this role's, the executive's industry
first, then the focus topics), the agenda from `data/meeting-plan.yml` (the one-to-one plan when
the profile says `meeting: one-to-one`). Sources are numbered in the order the figures cite them,
as on the site's pages, then the figures the answers rest on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from playbook import render
from playbook.brief.profile import Profile, ProfileError
from playbook.brief.siteinfo import SiteInfo
from playbook.data import Catalog, Stat
from playbook.meeting import MeetingPlan
from playbook.playdata import Objection, RoleCard, SupportLevel, objections_for

MAX_FIGURES = 7  # keeps the brief within 3 to 8 pages, with the sources on the last page
KEY_FIGURES = 3  # on the one-page summary
FIGURE_KINDS = ("finding", "anecdote", "rule")  # frameworks (counts of ideas) are not figures


@dataclass(frozen=True)
class BriefContent:
    profile: Profile
    card: RoleCard
    level: SupportLevel
    plan: MeetingPlan
    figures: tuple[tuple[int, Stat], ...]  # (source number, figure), in the order shown
    sources: tuple[tuple[int, Stat], ...]  # one entry per source, numbered
    industry_figures: int  # how many of the figures are about the executive's industry
    role_url: str
    old_before: int
    # What each of the card's answers rests on, aligned with card.questions: (source number, figure).
    rests_on: tuple[tuple[tuple[int, Stat], ...], ...] = ()
    objections: tuple[Objection, ...] = ()  # the entries of the objection finder for this role
    objections_url: str = ""  # the objection finder's published address

    @property
    def ask(self) -> str:
        return self.profile.ask or self.level.next_steps[0]

    @property
    def key_figures(self) -> tuple[tuple[int, Stat], ...]:
        return self.figures[:KEY_FIGURES]

    @property
    def as_of_year(self) -> int | None:
        """The newest year among the figures shown."""
        years = [stat.age_year for _, stat in self.figures if stat.age_year is not None]
        return max(years) if years else None

    @property
    def has_old(self) -> bool:
        return any(stat.is_old(self.old_before) for _, stat in self.figures)


def pick_figures(catalog: Catalog, profile: Profile) -> tuple[list[Stat], int]:
    """This role's figures: the industry's first, then the focus topics', then the rest; newest
    first within each group, so the key figures on the summary page are the most recent."""
    chosen = [s for s in catalog.tagged(f"role:{profile.role}") if s.kind in FIGURE_KINDS]
    industry = profile.industry_tag

    def rank(indexed: tuple[int, Stat]) -> tuple[bool, bool, int, int]:
        index, stat = indexed
        industry_last = not stat.has_tag(industry)
        focus_last = not any(stat.has_tag(t) for t in profile.focus)
        return (industry_last, focus_last, -(stat.age_year or 0), index)

    ordered = [stat for _, stat in sorted(enumerate(chosen), key=rank)][:MAX_FIGURES]
    return ordered, sum(1 for stat in ordered if stat.has_tag(industry))


def check_focus(catalog: Catalog, profile: Profile, display: str) -> None:
    """Every focus topic must be a topic the statistics use; the error lists the known ones."""
    known = sorted({t for s in catalog.stats.values() for t in s.tags if t.startswith("topic:")})
    for tag in profile.focus:
        if tag not in known:
            raise ProfileError(
                f"Error reading profile '{display}': 'focus' has '{tag}', which no statistic "
                f"uses; expected topics from: {', '.join(known)}."
            )


@dataclass(frozen=True)
class BriefInputs:
    """What a brief is made from, besides the profile: one bundle for `assemble`, the brief
    builder's pre-render (`builder_data`) and its cache key."""

    catalog: Catalog
    cards: dict[str, RoleCard]
    scale: dict[str, SupportLevel]
    plan: MeetingPlan
    site: SiteInfo
    objections: tuple[Objection, ...]


def assemble(profile: Profile, inputs: BriefInputs) -> BriefContent:
    catalog, site = inputs.catalog, inputs.site
    stats, industry_count = pick_figures(catalog, profile)
    numbers: dict[tuple[str, str], int] = {}
    figures, sources = [], []
    for stat in stats:
        key = render.source_key(stat)
        if key not in numbers:
            numbers[key] = len(numbers) + 1
            sources.append((numbers[key], stat))
        figures.append((numbers[key], stat))
    card = inputs.cards[profile.role]
    rests_on = []
    for question in card.questions:
        cited = []
        for stat_id in question.evidence:
            stat = catalog.get(stat_id)
            key = render.source_key(stat)
            if key not in numbers:
                numbers[key] = len(numbers) + 1
                sources.append((numbers[key], stat))
            cited.append((numbers[key], stat))
        rests_on.append(tuple(cited))
    return BriefContent(
        profile=profile,
        card=card,
        level=inputs.scale[profile.support_level],
        plan=inputs.plan.for_meeting(profile.meeting),
        figures=tuple(figures),
        sources=tuple(sources),
        industry_figures=industry_count,
        role_url=site.page_url(card.page),
        old_before=site.old_before,
        rests_on=tuple(rests_on),
        objections=tuple(objections_for(profile.role, inputs.objections)),
        objections_url=site.page_url("chapters/objections.md"),
    )


def read_profile(profile_path: Path, data_dir: Path) -> tuple[Profile, dict[str, SupportLevel]]:
    """The profile, validated against the support scale (fast: no statistics are read)."""
    from playbook.brief.profile import load_profile
    from playbook.data import store_for

    scale = store_for(data_dir).support_scale()
    return load_profile(profile_path, scale), scale


def load_brief(
    profile: Profile,
    scale: dict[str, SupportLevel],
    data_dir: Path,
    site: SiteInfo,
    today: date | None,
    display: str = "profile",
) -> BriefContent:
    """Read the data the brief needs; every error names its file and field.

    `today` (the build date) only checks that no figure is dated in the future; without one,
    the meeting date serves.
    """
    from playbook.data import store_for

    store = store_for(data_dir)
    # Only the statistics: the brief needs no glossary or charts (and saves reading them).
    catalog = store.stats_only(today or profile.meeting_date)
    check_focus(catalog, profile, display)
    cards, objections = store.roles(), store.objections(catalog)
    plan = store.meeting_plan()
    return assemble(profile, BriefInputs(catalog, cards, scale, plan, site, tuple(objections)))
