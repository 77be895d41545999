"""A hand-built matrix whose arithmetic is worked out by hand in the tests."""

from dataclasses import dataclass

import pytest

from needs_matrix.models import Category, CategoryGroup
from tests import factories


@dataclass
class HandBuilt:
    group: object
    categories: dict[str, Category]
    partners: dict[str, object]


@pytest.fixture
def hand_built(db):
    """Five categories A-E in one group; five active partners and one inactive.

    A: P1 needs (high), P2 needs (low), P3 contributes         → 2 need, 1 contributes: thin, 50 %
    B: P1 needs (medium), P5 both (high), P3 and P4 contribute → 2 need, 3 contribute: 150 %
    C: P1 and P2 need (high), P3 needs (medium)                 → 3 need, nobody: gap, 0 %
    D: P3 contributes; inactive P6 needs (ignored)              → nobody needs: no coverage
    E: P1 "not assessed" (stored)                               → counts neither way
    """
    group = factories.CategoryGroupFactory(name="Hand-built group", order=0)
    categories = {
        letter: factories.CategoryFactory(group=group, name=f"Category {letter}", order=i)
        for i, letter in enumerate("ABCDE")
    }
    partners = {
        "P1": factories.PartnerFactory(name="P1 district", kind="school_district"),
        "P2": factories.PartnerFactory(name="P2 district", kind="school_district"),
        "P3": factories.PartnerFactory(name="P3 college", kind="college"),
        "P4": factories.PartnerFactory(name="P4 business", kind="business"),
        "P5": factories.PartnerFactory(name="P5 museum", kind="informal"),
        "P6": factories.PartnerFactory(name="P6 gone", kind="nonprofit", status="inactive"),
    }

    def entry(partner, letter, stance, priority=""):
        factories.MatrixEntryFactory(
            partner=partners[partner],
            category=categories[letter],
            stance=stance,
            priority=priority,
        )

    entry("P1", "A", "need", "high")
    entry("P2", "A", "need", "low")
    entry("P3", "A", "contribute")
    entry("P1", "B", "need", "medium")
    entry("P5", "B", "both", "high")
    entry("P3", "B", "contribute")
    entry("P4", "B", "contribute")
    entry("P1", "C", "need", "high")
    entry("P2", "C", "need", "high")
    entry("P3", "C", "need", "medium")
    entry("P3", "D", "contribute")
    entry("P6", "D", "need", "high")
    entry("P1", "E", "not_assessed")
    return HandBuilt(group=group, categories=categories, partners=partners)


@pytest.fixture
def mentors(db):
    """A category the data migration seeds (seeded again after a transactional test)."""
    return Category.objects.get(name="Mentors", group__name="Mentoring and STEM experiences")


@pytest.fixture
def assessment_group(db):
    return CategoryGroup.objects.get(name="Assessment", order=7)
