"""What every feature's views share."""

from django.contrib import messages
from django.core.exceptions import ValidationError


def attempt(request, service, success: str, **kwargs) -> bool:
    """Run a service; show its refusal as a message. A refusal changes nothing:
    each service checks before it writes, inside its own transaction."""
    try:
        service(**kwargs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    messages.success(request, success)
    return True
