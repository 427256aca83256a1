from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class KyrgyzFirstLocaleMiddleware(LocaleMiddleware):
    """Kyrgyz unless the person chose another language with the switcher.

    Django's own middleware would follow the browser's Accept-Language, but the
    school's computers are set up in English or Russian while the school works
    in Kyrgyz: only an explicit choice (the language cookie) changes it.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen not in dict(settings.LANGUAGES):
            chosen = settings.LANGUAGE_CODE
        translation.activate(chosen)
        request.LANGUAGE_CODE = translation.get_language()
