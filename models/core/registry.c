/*
 * registry.c - the one table of resource types.
 *
 * Adding a type is its model, its *_cfg.c with a res_type, one line here and
 * one in models/meson.build. The order is the order of messages that list
 * several types ("aws_sns_topic or aws_autoscaling_policy") and of
 * "did you mean" suggestions; load order is each type's `pass`.
 */
#include <stddef.h>

#include "models/core/loader.h"

extern const res_type res_aws_launch_configuration, res_aws_subnet;
extern const res_type res_aws_launch_template, res_aws_instance, res_aws_lb, res_aws_lb_target_group,
    res_aws_lb_target_group_attachment, res_aws_autoscaling_group, res_aws_sns_topic, res_aws_autoscaling_policy,
    res_aws_autoscaling_schedule, res_aws_sns_topic_subscription, res_aws_autoscaling_notification,
    res_aws_cloudwatch_metric_alarm, res_aws_lb_listener, res_aws_lb_listener_rule, res_aws_autoscaling_lifecycle_hook;
extern const res_type res_aws_dynamodb_table, res_aws_s3_bucket;
extern const res_type res_aws_lambda_function, res_aws_lambda_function_event_invoke_config, res_aws_cloudwatch_event_rule, res_aws_cloudwatch_event_target;

const res_type *const ld_types[] = {
    &res_aws_launch_template,
    &res_aws_launch_configuration,
    &res_aws_subnet,
    &res_aws_instance,
    &res_aws_lb,
    &res_aws_lb_target_group,
    &res_aws_lb_target_group_attachment,
    &res_aws_lb_listener,
    &res_aws_lb_listener_rule,
    &res_aws_autoscaling_group,
    &res_aws_sns_topic,
    &res_aws_autoscaling_policy,
    &res_aws_autoscaling_schedule,
    &res_aws_sns_topic_subscription,
    &res_aws_autoscaling_notification,
    &res_aws_cloudwatch_metric_alarm,
    &res_aws_dynamodb_table,
    &res_aws_s3_bucket,
    &res_aws_autoscaling_lifecycle_hook,
    &res_aws_lambda_function, &res_aws_lambda_function_event_invoke_config, &res_aws_cloudwatch_event_rule, &res_aws_cloudwatch_event_target,
    NULL,
};

/* Terraform types fleetsim will model but does not yet: a clearer error than "unknown". */
const char *const ld_later_types[] = {
    "aws_dynamodb_table_item", "aws_s3_object",
    "aws_spot_instance_request",
    "aws_cloudwatch_composite_alarm", "aws_autoscaling_traffic_source_attachment",
    "aws_autoscaling_attachment", "aws_sqs_queue",
    NULL,
};
