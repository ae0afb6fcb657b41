"""Per-round AUC of federated vs centralised vs each partner alone: a Markdown table and a PNG.

Curves are holdout AUC by round (round 0 is the untrained model), named by what was trained:
``federated (fedavg, SecAgg+)``, ``centralised``, ``partner <i> alone``.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only: no display on servers and CI

import matplotlib.pyplot as plt  # after choosing the backend

Curves = dict[str, list[float]]


def auc_table(curves: Curves, title: str) -> str:
    rounds = max(len(curve) for curve in curves.values())
    header = "| round | " + " | ".join(curves) + " |"
    rule = "| ---: | " + " | ".join("---:" for _ in curves) + " |"
    rows = [f"| {r} | " + " | ".join(_cell(curve, r) for curve in curves.values()) + " |"
            for r in range(rounds)]
    return "\n".join([f"### {title}", "", header, rule, *rows, ""])


def _cell(curve: list[float], index: int) -> str:
    return f"{curve[index]:.4f}" if index < len(curve) else ""


def plot_curves(curves: Curves, title: str, path: Path) -> Path:
    figure, axes = plt.subplots(figsize=(7, 4.5))
    for name, curve in curves.items():
        style = "-o" if name.startswith("federated") else ("--s" if name == "centralised" else ":")
        axes.plot(range(len(curve)), curve, style, label=name)
    axes.set(xlabel="round", ylabel="holdout ROC AUC", title=title)
    axes.set_xticks(range(max(len(curve) for curve in curves.values())))
    axes.grid(alpha=0.3)
    axes.legend(loc="lower right", fontsize="small")
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def write_results(folder: Path, name: str, curves: Curves, title: str) -> tuple[Path, Path]:
    """``<name>.md`` and ``<name>.png`` in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    table = folder / f"{name}.md"
    table.write_text(auc_table(curves, title), encoding="utf-8")
    return table, plot_curves(curves, title, folder / f"{name}.png")
