from __future__ import annotations

from pathlib import Path

import pytest

from themes import AnalysisConfig, ConfigError


def test_defaults_are_valid_and_recorded() -> None:
    config = AnalysisConfig()
    data = config.to_dict()
    assert data["model"] == "all-MiniLM-L6-v2"
    assert AnalysisConfig.from_dict(data) == config


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("min_theme_size", 1),
        ("max_themes", 0),
        ("n_components", 1),
        ("reassign_outliers", 1.5),
        ("layouts", 0),
        ("layouts", 16),
        ("batch_size", 0),
        ("model", " "),
        # A boolean is not a number, though Python counts True as 1 (issue 20, item 6).
        ("max_themes", True),
        ("seed", False),
        ("layouts", True),
        ("min_theme_size", True),
        ("reassign_outliers", True),
        ("also_mentions", True),
        ("batch_size", True),
        ("stories", 1),
        ("extra_stop_words", "gloucestershire"),
    ],
)
def test_invalid_settings_say_what_is_wrong(field: str, value: object) -> None:
    with pytest.raises(ConfigError, match=field) as info:
        AnalysisConfig(**{field: value})  # type: ignore[arg-type]
    assert "Got" in str(info.value)
    assert isinstance(info.value, ValueError)


def test_a_boolean_in_a_file_is_not_a_number(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[analysis]\nmax_themes = true\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="max_themes.*whole number"):
        AnalysisConfig.from_file(path)
    path.write_text('[analysis]\nextra_stop_words = "nhs"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="extra_stop_words.*list of words"):
        AnalysisConfig.from_file(path)


def test_unknown_setting_lists_valid_ones() -> None:
    with pytest.raises(ConfigError, match="Valid settings: .*max_themes"):
        AnalysisConfig.from_dict({"max_topics": 5})


def test_from_file(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(
        '[analysis]\nseed = 7\nmax_themes = 12\nextra_stop_words = ["gloucestershire"]\n'
    )
    config = AnalysisConfig.from_file(path)
    assert (config.seed, config.max_themes, config.extra_stop_words) == (
        7,
        12,
        ("gloucestershire",),
    )


def test_bad_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text("seed = = 3")
    with pytest.raises(ConfigError, match="not valid TOML"):
        AnalysisConfig.from_file(path)
    with pytest.raises(ConfigError, match="does not exist"):
        AnalysisConfig.from_file(tmp_path / "missing.toml")


def test_replace_ignores_unset_flags() -> None:
    assert AnalysisConfig().replace(seed=None, max_themes=5) == AnalysisConfig(max_themes=5)
