"""Form conventions shared by every blueprint: Korean messages, CSRF expiry as a field error."""

from __future__ import annotations

from flask import request
from flask_wtf import FlaskForm
from flask_wtf.form import SUBMIT_METHODS, _Auto

from campaign.i18n import _l
from campaign.intake import without_nul

CSRF_EXPIRED = _l("보안 확인 시간이 지났어요. 쓰신 내용은 그대로 있으니 한 번 더 보내 주세요.")


class Form(FlaskForm):
    """A form whose CSRF failure is an ordinary error shown beside what the person typed.

    Views using it are exempt from the global CSRF check (which would answer a bare 400 and lose
    the text); the token is still required, by this form's own validation.

    Its fields read only ordinary form fields (never uploaded files or a JSON body, which would
    hand a text field a file or a list) and lose NUL characters before anything validates them.
    """

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form, formdata):
            if formdata is _Auto:
                return request.form if request.method in SUBMIT_METHODS else None
            return formdata

        def bind_field(self, form, unbound_field, options):
            filters = (without_nul, *unbound_field.kwargs.get("filters", ()))
            return unbound_field.bind(form=form, **{**options, "filters": filters})

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.meta.csrf and self.csrf_token.errors:
            self.csrf_token.errors = [CSRF_EXPIRED]
        return ok

    @property
    def error_list(self) -> list[tuple[str, str]]:
        """(field id, message) in page order, for the error summary. A radio group has no
        element of its own id: the summary links to its first button (forms.html `radios`
        names each `<id>-<value>`)."""
        return [(_target(field), message) for field in self for message in field.errors]


def _target(field) -> str:
    if field.type == "RadioField" and field.choices:
        return f"{field.id}-{field.choices[0][0] or 'none'}"
    return field.id
