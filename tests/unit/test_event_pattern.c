/*
 * test_event_pattern.c - EventBridge pattern matching (aws-semantics 6.7):
 * fields AND, value lists OR, exact strings (no case-folding), prefix, suffix, equals-ignore-case,
 * anything-but (one value or a list), exists true|false, resources as an
 * array, detail fields.
 */
#include "../tap.h"

#include "models/events/event_pattern.h"

static aws_event hook_event(void)
{
    aws_event ev = {
        .id = "ev-1",
        .source = "aws.autoscaling",
        .detail_type = "EC2 Instance-terminate Lifecycle Action",
        .account = "123456789012",
        .region = "us-west-2",
        .resources = {"arn:aws:autoscaling:us-west-2:123456789012:autoScalingGroup:asg1",
                      "arn:aws:ec2:us-west-2:123456789012:instance/i-asg1-3"},
        .n_resources = 2,
        .detail = {{"AutoScalingGroupName", "asg1"}, {"EC2InstanceId", "i-asg1-3"},
                   {"LifecycleTransition", "autoscaling:EC2_INSTANCE_TERMINATING"}},
        .n_detail = 3,
    };
    return ev;
}

static int field(evp *p, const char *path, evp_op op, const char *s)
{
    int f = evp_add_field(p, path);
    if (f >= 0 && op != EVP_EXISTS)
        evp_add(p, (size_t)f, op, &s, 1, false);
    return f;
}

int main(void)
{
    aws_event ev = hook_event();
    evp p = {0};
    ok(evp_match(&p, &ev), "an empty pattern matches everything");

    field(&p, "source", EVP_EXACT, "aws.autoscaling");
    ok(evp_match(&p, &ev), "exact source matches");
    evp_free(&p);

    field(&p, "source", EVP_EXACT, "AWS.autoscaling");
    ok(!evp_match(&p, &ev), "exact strings are case-sensitive");
    evp_free(&p);

    /* OR within a field */
    int f = field(&p, "detail-type", EVP_EXACT, "EC2 Instance Launch Successful");
    ok(!evp_match(&p, &ev), "one value that differs: no match");
    const char *t = "EC2 Instance-terminate Lifecycle Action";
    evp_add(&p, (size_t)f, EVP_EXACT, &t, 1, false);
    ok(evp_match(&p, &ev), "a value list is an OR: the second value matches");
    /* AND across fields */
    field(&p, "source", EVP_EXACT, "aws.ec2");
    ok(!evp_match(&p, &ev), "fields are ANDed: a second field that fails fails the pattern");
    evp_free(&p);

    field(&p, "detail.AutoScalingGroupName", EVP_EXACT, "asg1");
    field(&p, "detail.LifecycleTransition", EVP_PREFIX, "autoscaling:EC2_INSTANCE_TERM");
    ok(evp_match(&p, &ev), "detail fields: exact and prefix");
    evp_free(&p);

    field(&p, "detail.EC2InstanceId", EVP_PREFIX, "i-asg2");
    ok(!evp_match(&p, &ev), "prefix that is not a prefix: no match");
    evp_free(&p);

    field(&p, "resources", EVP_EXACT, "arn:aws:ec2:us-west-2:123456789012:instance/i-asg1-3");
    ok(evp_match(&p, &ev), "resources: any element of the event's array matches");
    evp_free(&p);

    field(&p, "detail.AutoScalingGroupName", EVP_ANYTHING_BUT, "asg2");
    ok(evp_match(&p, &ev), "anything-but a single other value matches");
    evp_free(&p);

    f = evp_add_field(&p, "detail.AutoScalingGroupName");
    const char *but[] = {"asg2", "asg1"};
    evp_add(&p, (size_t)f, EVP_ANYTHING_BUT, but, 2, false);
    ok(!evp_match(&p, &ev), "anything-but a list that holds the value: no match");
    evp_free(&p);

    field(&p, "detail.Missing", EVP_ANYTHING_BUT, "x");
    ok(!evp_match(&p, &ev), "anything-but needs the field to exist");
    evp_free(&p);

    f = evp_add_field(&p, "detail.EC2InstanceId");
    evp_add(&p, (size_t)f, EVP_EXISTS, NULL, 0, true);
    ok(evp_match(&p, &ev), "exists: true on a present field");
    evp_free(&p);

    f = evp_add_field(&p, "detail.LifecycleHookName");
    evp_add(&p, (size_t)f, EVP_EXISTS, NULL, 0, true);
    ok(!evp_match(&p, &ev), "exists: true on an absent field: no match");
    evp_free(&p);

    f = evp_add_field(&p, "detail.LifecycleHookName");
    evp_add(&p, (size_t)f, EVP_EXISTS, NULL, 0, false);
    ok(evp_match(&p, &ev), "exists: false on an absent field");
    evp_free(&p);

    f = evp_add_field(&p, "detail.EC2InstanceId");
    evp_add(&p, (size_t)f, EVP_EXISTS, NULL, 0, false);
    ok(!evp_match(&p, &ev), "exists: false on a present field: no match");
    evp_free(&p);

    field(&p, "detail.EC2InstanceId.deeper", EVP_EXACT, "i-asg1-3");
    ok(!evp_match(&p, &ev), "a path deeper than the flat detail names nothing");
    evp_free(&p);

    /* OR of different operators in one list */
    f = field(&p, "region", EVP_PREFIX, "eu-");
    evp_add(&p, (size_t)f, EVP_EXISTS, NULL, 0, false);
    ok(!evp_match(&p, &ev), "prefix eu- OR exists false: neither holds");
    const char *rp = "us-";
    evp_add(&p, (size_t)f, EVP_PREFIX, &rp, 1, false);
    ok(evp_match(&p, &ev), "adding prefix us- to the OR list matches");
    evp_free(&p);

    field(&p, "detail.EC2InstanceId", EVP_SUFFIX, "-3");
    ok(evp_match(&p, &ev), "suffix matches the end");
    evp_free(&p);
    field(&p, "detail.EC2InstanceId", EVP_SUFFIX, "i-asg1-3x");
    ok(!evp_match(&p, &ev), "a suffix longer than the value: no match");
    evp_free(&p);

    field(&p, "detail.AutoScalingGroupName", EVP_EQUALS_IGNORE_CASE, "ASG1");
    ok(evp_match(&p, &ev), "equals-ignore-case folds letters");
    evp_free(&p);
    field(&p, "detail.AutoScalingGroupName", EVP_EQUALS_IGNORE_CASE, "ASG");
    ok(!evp_match(&p, &ev), "equals-ignore-case still compares the whole value");
    evp_free(&p);

    field(&p, "account", EVP_EXACT, "123456789012");
    field(&p, "id", EVP_EXACT, "ev-1");
    ok(evp_match(&p, &ev), "account and id are matched too");
    evp_free(&p);
    return tap_done();
}
