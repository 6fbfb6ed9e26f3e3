"""ODK ``format-date`` with month and day names in the form's language (CLDR via babel)."""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import get_day_names, get_month_names

from intake_app.core.forms.odk_xpath import parse_date_or_datetime


def format_odk_date(value: str, pattern: str, language: str) -> str:
    """%Y %y %m %n %d %e %H %h %M %S %3 %a %b as JavaRosa defines them; '' for an empty date."""
    moment = parse_date_or_datetime(value.strip())
    if moment is None:
        return ""
    stamp = (
        moment if isinstance(moment, datetime) else datetime(moment.year, moment.month, moment.day)
    )
    locale = language or "en"
    fields = {
        "Y": f"{stamp.year:04d}",
        "y": f"{stamp.year % 100:02d}",
        "m": f"{stamp.month:02d}",
        "n": str(stamp.month),
        "d": f"{stamp.day:02d}",
        "e": str(stamp.day),
        "H": f"{stamp.hour:02d}",
        "h": str(stamp.hour),
        "M": f"{stamp.minute:02d}",
        "S": f"{stamp.second:02d}",
        "3": f"{stamp.microsecond // 1000:03d}",
        "a": get_day_names("abbreviated", locale=locale)[stamp.weekday()],
        "b": get_month_names("abbreviated", locale=locale)[stamp.month],
    }
    out, i = [], 0
    while i < len(pattern):
        if pattern[i] == "%" and i + 1 < len(pattern) and pattern[i + 1] in fields:
            out.append(fields[pattern[i + 1]])
            i += 2
        else:
            out.append(pattern[i])
            i += 1
    return "".join(out)


__all__ = ["date", "format_odk_date"]
