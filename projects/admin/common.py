"""What the project pages share: staff choices limited to the user's stations."""

from .. import selectors


class StaffChoicesMixin:
    """Foreign keys and many-to-many fields to users offer only staff of the user's stations."""

    user_fields: tuple[str, ...] = ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.user_fields:
            kwargs["queryset"] = selectors.staff_users_visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.user_fields:
            kwargs["queryset"] = selectors.staff_users_visible_to(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)
