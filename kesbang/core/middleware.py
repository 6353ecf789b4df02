"""Office-wide middleware."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class IndonesianFirstLocaleMiddleware(LocaleMiddleware):
    """Indonesian unless the user chose another language with the switcher (the language cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, so an office PC with an
    English Windows would get an English Kesbang; the office works in Indonesian first.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
