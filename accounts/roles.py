"""The roles of the policy, kept as Django groups.

702.3: the Mayor (or a designee) authorizes employees; supervisors approve
content that does not conform to the guidelines; 702.7: the City Clerk keeps
the records.
"""

from django.db import models


class Role(models.TextChoices):
    MAYORS_OFFICE = "Mayor's office", "Mayor's office"
    SUPERVISOR = "Supervisor", "Supervisor"
    AUTHORIZED_POSTER = "Authorized poster", "Authorized poster"
    STAFF = "Staff", "Staff"
    CITY_CLERK = "City Clerk", "City Clerk"
    IT = "IT", "IT (approves city equipment)"


# Model permissions each role's group carries. Object permissions on channels
# (who may publish where) come from authorizations, not from roles.
ROLE_PERMISSIONS = {
    Role.MAYORS_OFFICE: [
        "accounts.add_authorization",
        "accounts.change_authorization",
        "posting.review_post",  # approval chains may name the Mayor's office (702.3)
    ],
    Role.SUPERVISOR: ["posting.review_post"],
    Role.AUTHORIZED_POSTER: [],
    Role.STAFF: [],
    Role.CITY_CLERK: ["retention.view_archiverecord"],
    Role.IT: [],
}
