# Variant: an office-hours intranet app. Scheduled actions size the group up
# before 08:00 UTC on weekdays and down after 18:00; target tracking on request
# count per target handles the rest of the day.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region = "eu-central-1"
}

locals {
  common_tags = {
    Team        = "intranet"
    CostCenter  = "1234"
    Environment = "production"
  }
}

data "aws_vpc" "main" {
  tags = {
    Name = "corp-main"
  }
}

resource "aws_subnet" "private_a" {
  vpc_id            = data.aws_vpc.main.id
  cidr_block        = "10.50.10.0/24"
  availability_zone = "eu-central-1a"
  tags              = merge(local.common_tags, { Tier = "private" })
}

resource "aws_subnet" "private_b" {
  vpc_id            = data.aws_vpc.main.id
  cidr_block        = "10.50.11.0/24"
  availability_zone = "eu-central-1b"
  tags              = merge(local.common_tags, { Tier = "private" })
}

resource "aws_security_group" "intranet" {
  name   = "intranet-app"
  vpc_id = data.aws_vpc.main.id
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }
}

resource "aws_lb" "intranet" {
  name               = "intranet"
  internal           = true
  load_balancer_type = "application"
  security_groups    = [aws_security_group.intranet.id]
  subnets            = [aws_subnet.private_a.id, aws_subnet.private_b.id]
  tags               = local.common_tags
}

resource "aws_lb_target_group" "intranet_tg" {
  name                 = "intranet-tg"
  port                 = 8443
  protocol             = "HTTPS"
  vpc_id               = data.aws_vpc.main.id
  slow_start           = 60
  deregistration_delay = 30

  health_check {
    path     = "/status"
    protocol = "HTTPS"
    matcher  = "200-399"
  }

  stickiness {
    type            = "lb_cookie"
    cookie_duration = 3600
  }

  tags = local.common_tags
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.intranet.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = "arn:aws:acm:eu-central-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.intranet_tg.arn
  }
}

resource "aws_launch_template" "intranet_lt" {
  name_prefix   = "intranet-"
  image_id      = "ami-0a1b2c3d4e5f67890"
  instance_type = "t3.medium"

  credit_specification {
    cpu_credits = "unlimited"
  }
}

resource "aws_autoscaling_group" "intranet" {
  name                      = "intranet-asg"
  min_size                  = 1
  max_size                  = 8
  desired_capacity          = 1
  vpc_zone_identifier       = [aws_subnet.private_a.id, aws_subnet.private_b.id]
  target_group_arns         = [aws_lb_target_group.intranet_tg.arn]
  health_check_type         = "ELB"
  health_check_grace_period = 90

  launch_template {
    name    = aws_launch_template.intranet_lt.name
    version = "$Default"
  }

  tag {
    key                 = "Team"
    value               = "intranet"
    propagate_at_launch = true
  }

  lifecycle {
    ignore_changes = [desired_capacity, min_size]
  }
}

resource "aws_autoscaling_schedule" "office_hours_start" {
  scheduled_action_name  = "office-hours-start"
  autoscaling_group_name = aws_autoscaling_group.intranet.name
  min_size               = 3
  max_size               = 8
  desired_capacity       = 4
  recurrence             = "30 7 * * MON-FRI"
  time_zone              = "Europe/Berlin"
}

resource "aws_autoscaling_schedule" "office_hours_end" {
  scheduled_action_name  = "office-hours-end"
  autoscaling_group_name = aws_autoscaling_group.intranet.name
  min_size               = 1
  max_size               = 8
  desired_capacity       = 1
  recurrence             = "0 18 * * MON-FRI"
  time_zone              = "Europe/Berlin"
}

resource "aws_autoscaling_policy" "requests" {
  name                   = "intranet-requests-per-target"
  autoscaling_group_name = aws_autoscaling_group.intranet.name
  policy_type            = "TargetTrackingScaling"

  target_tracking_configuration {
    predefined_metric_specification {
      predefined_metric_type = "ALBRequestCountPerTarget"
      resource_label         = "${aws_lb.intranet.arn_suffix}/${aws_lb_target_group.intranet_tg.arn_suffix}"
    }
    target_value     = 1200
    disable_scale_in = false
  }
}
