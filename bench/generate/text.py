"""Deterministic names and filler text for the synthetic network."""

import random


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


WORDS = _words(
    "students teachers district science math engineering technology mentors internships "
    "classrooms practice curriculum standards network partners schools college career "
    "pathways robotics coding labs summer programs families community industry workforce "
    "assessment equity rural urban counselors pipeline projects apprenticeships data "
    "professional development time space equipment funding outreach events volunteers"
)
FIRST = _words(
    "Ana Ben Carla Dev Elena Farid Grace Hana Ivan Jade Kofi Lena Mateo Nia Omar Priya "
    "Quinn Rosa Sam Tara Umar Vera Wes Xiu Yara Zane"
)
LAST = _words(
    "Alvarez Brooks Chen Diaz Evans Fischer Garcia Huang Ito Johnson Kim Lopez Moreno "
    "Nguyen Okafor Patel Quiroga Rossi Singh Tanaka Ueda Vargas Walker Xu Young Zimmer"
)
PLACES = _words(
    "Cedar Maple Riverside Oak Valley Summit Harbor Pine Lakeside Mesa Canyon Meadow "
    "Granite Willow Sierra Coastal Prairie Ridge Birch Orchard"
)
KIND_NAMES = {
    "school_district": "Unified School District",
    "school": "High School",
    "college": "Community College",
    "nonprofit": "STEM Alliance",
    "business": "Engineering Inc.",
    "government": "County Office",
    "informal": "Science Museum",
    "funder": "Foundation",
    "association": "Teachers Association",
    "other": "Partners Group",
}


class Text:
    """Deterministic filler text in Markdown."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def sentence(self, words: int = 12) -> str:
        picked = [self.rng.choice(WORDS) for _ in range(words)]
        return " ".join(picked).capitalize() + "."

    def paragraph(self, sentences: int = 4) -> str:
        return " ".join(self.sentence(self.rng.randint(8, 16)) for _ in range(sentences))

    def block_text(self) -> str:
        bullets = "\n".join(f"- {self.sentence(9)}" for _ in range(self.rng.randint(2, 4)))
        return f"{self.paragraph(3)}\n\n{bullets}\n"
