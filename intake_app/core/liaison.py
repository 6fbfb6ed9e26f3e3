"""Safe contact rules (docs/design.md §7): an update may only go through a channel the plan allows."""

from __future__ import annotations

from intake_app.core.errors import InvalidInput
from intake_app.core.i18n import _
from intake_app.core.labels import CHANNELS
from intake_app.core.records import Channel, ContactPlan


def check_channel(plan: ContactPlan | None, channel: Channel) -> None:
    if plan is None:
        raise InvalidInput(
            _(
                "There is no contact plan for this survivor yet: agree safe channels with them first."
            )
        )
    if channel in plan.unsafe_channels:
        raise InvalidInput(
            _(
                "The survivor asked never to be contacted by {channel}; the update was not prepared."
            ).format(channel=_(CHANNELS[channel]))
        )
    if channel not in plan.safe_channels:
        raise InvalidInput(
            _(
                "{channel} is not one of the survivor's safe channels; choose one of the plan's channels."
            ).format(channel=_(CHANNELS[channel]))
        )
