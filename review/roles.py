"""The roles of PRODUCT.md as Django groups, with the permissions each one holds."""

AUTHOR = "Author"
REVIEWER = "Medical reviewer"
PUBLISHER = "Publisher"

ROLE_PERMISSIONS = {
    AUTHOR: ["content.add_post", "content.change_post", "content.view_post", "review.submit_post"],
    REVIEWER: ["content.view_post", "review.sign_post"],
    PUBLISHER: ["content.add_post", "content.change_post", "content.view_post",
                "review.submit_post", "review.publish_post"],
}


def ensure_roles(group_model, permission_model, content_type_model=None):
    """Create the groups and give them their permissions; safe to run again."""
    groups = {}
    for name, perms in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=name)
        for perm in perms:
            app_label, codename = perm.split(".")
            group.permissions.add(permission_model.objects.get(content_type__app_label=app_label, codename=codename))
        groups[name] = group
    return groups
