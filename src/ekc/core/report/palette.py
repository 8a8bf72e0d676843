"""The figures' colours, and how they look in greyscale and to colour-blind readers.

Two groups are told apart by Okabe-Ito colours (chosen to stay distinct under every common
colour-vision deficiency) plus line style, marker or hatching; the five ordered problem
levels by a sequential palette whose lightness falls in clear steps, so a greyscale print
keeps their order, plus hatching on the darker levels.
"""

from __future__ import annotations

# Okabe & Ito (2008), "Color Universal Design".
BLUE = "#0072B2"
VERMILLION = "#D55E00"
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"

GROUP_COLOURS = {"conference": BLUE, "no_conference": VERMILLION}
INFORMANT_COLOURS = {"referrer": BLUE, "family_informant": ORANGE}
INFORMANT_HATCHES = {"referrer": "", "family_informant": "///"}
# ColorBrewer YlGnBu (5 classes): sequential, lightness from about 98 to 28.
BAND_COLOURS = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")
BAND_HATCHES = ("", "", "//", "\\\\", "xx")

# Machado, Oliveira & Fernandes (2009), severity 1.0, applied to linear RGB.
CVD_MATRICES = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "tritanopia": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}


def _linear(hex_colour: str) -> tuple[float, float, float]:
    channels = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    return tuple(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)


def _lab(rgb: tuple[float, float, float]) -> tuple[float, float, float]:
    """CIELAB (D65) of a linear-RGB colour."""
    r, g, b = (min(max(c, 0.0), 1.0) for c in rgb)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def lightness(hex_colour: str) -> float:
    """CIE L* (0 black … 100 white): what a greyscale print keeps of a colour."""
    return _lab(_linear(hex_colour))[0]


def seen_with(hex_colour: str, deficiency: str) -> tuple[float, float, float]:
    """CIELAB of the colour as seen with a colour-vision deficiency (CVD_MATRICES)."""
    rgb = _linear(hex_colour)
    matrix = CVD_MATRICES[deficiency]
    return _lab(tuple(sum(m * c for m, c in zip(row, rgb, strict=True)) for row in matrix))


def difference(first: str, second: str, deficiency: str | None = None) -> float:
    """CIE76 colour difference, for normal vision or as seen with a deficiency."""
    if deficiency is None:
        a, b = _lab(_linear(first)), _lab(_linear(second))
    else:
        a, b = seen_with(first, deficiency), seen_with(second, deficiency)
    return sum((x - y) ** 2 for x, y in zip(a, b, strict=True)) ** 0.5
