"""702.3: who approves a post, step by step.

The Mayor's office configures approval chains per category and channel; a post
waits at each step until its approvers have approved exactly its current text.
With no chain configured, any supervisor approves.

The functions work on prefetched data where they can, so the approval queue
costs a fixed number of queries however long it is.
"""

from django.contrib.auth.models import Group
from django.db.models import Prefetch

from accounts.roles import Role

from .models import Approval, ApprovalChain, ApprovalStep


def active_chains() -> list[ApprovalChain]:
    steps = ApprovalStep.objects.select_related("group", "person").order_by("order")
    return list(
        ApprovalChain.objects.filter(active=True).prefetch_related(
            "channels", Prefetch("steps", queryset=steps)
        )
    )


def chain_for(post, chains) -> ApprovalChain | None:
    """The most specific chain: category and channel, then category, then channel."""
    channel_ids = {c.pk for c in post.channels.all()}
    best, best_score = None, -1
    for chain in chains:
        chain_channels = {c.pk for c in chain.channels.all()}
        if chain.category and chain.category != post.category:
            continue
        if chain_channels and not chain_channels & channel_ids:
            continue
        score = (2 if chain.category else 0) + (1 if chain_channels else 0)
        if score > best_score:
            best, best_score = chain, score
    return best


def default_step() -> ApprovalStep:
    """Any one supervisor: the policy's own rule when the Mayor's office configured nothing."""
    return ApprovalStep(order=1, group=Group.objects.get(name=Role.SUPERVISOR.value), rule="any")


def steps_for(post, chains=None, fallback=None) -> list[ApprovalStep]:
    chain = chain_for(post, active_chains() if chains is None else chains)
    steps = list(chain.steps.all()) if chain else []
    return steps or [fallback or default_step()]


def _approvals_at(step, post, digest) -> list[Approval]:
    return [
        a
        for a in post.approvals.all()
        if a.decision == Approval.Decision.APPROVED
        and a.voided_at is None
        and a.content_digest == digest
        and a.step_id == step.pk
    ]


def step_complete(step, post, digest) -> bool:
    approvers = {a.reviewer_id for a in _approvals_at(step, post, digest)}
    if step.rule == ApprovalStep.Rule.ANY:
        return bool(approvers)
    required = set(step.approvers(exclude=post.author).values_list("pk", flat=True))
    return bool(required) and required <= approvers


def current_step(post, digest=None, chains=None, fallback=None) -> ApprovalStep | None:
    """The first step not yet complete for the post's current text; None when all are."""
    digest = digest or post.content_digest()
    steps = steps_for(post, chains, fallback)
    return next((s for s in steps if not step_complete(s, post, digest)), None)


def is_approver(user, step) -> bool:
    if step.person_id:
        return user.pk == step.person_id
    return step.group.name in user.role_names


def may_decide(user, post, step=None, chains=None, fallback=None) -> bool:
    """Is `user` an approver at the post's current step? Never the post's author."""
    if user.pk == post.author_id or not user.is_active:
        return False
    digest = post.content_digest()
    step = step or current_step(post, digest, chains, fallback)
    if step is None or not is_approver(user, step):
        return False
    return all(a.reviewer_id != user.pk for a in _approvals_at(step, post, digest))


def awaiting(user, posts):
    """Of the submitted posts, those waiting for this user's decision."""
    chains, fallback = active_chains(), default_step()
    return [post for post in posts if may_decide(user, post, chains=chains, fallback=fallback)]
