# Variant: step scaling driven by two CPU alarms (the classic "scale out at 70 %,
# scale in at 30 %" pair), on a group of m5.large behind an ALB.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

variable "app_name" {
  type    = string
  default = "orders"
}

data "aws_availability_zones" "available" {
  state = "available"
}

data "aws_vpc" "default" {
  default = true
}

data "aws_ami" "ubuntu" {
  most_recent = true
  owners      = ["099720109477"]
  filter {
    name   = "name"
    values = ["ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*"]
  }
}

resource "aws_iam_instance_profile" "app" {
  name = "orders-app"
  role = "orders-app-role"
}

resource "aws_security_group" "app" {
  name   = "orders-app"
  vpc_id = data.aws_vpc.default.id
  ingress {
    from_port   = 8080
    to_port     = 8080
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_launch_template" "app" {
  name                   = "orders-app"
  image_id               = data.aws_ami.ubuntu.id
  instance_type          = "m5.large"
  update_default_version = true
  ebs_optimized          = true

  iam_instance_profile {
    name = aws_iam_instance_profile.app.name
  }

  metadata_options {
    http_tokens = "required"
  }

  monitoring {
    enabled = true
  }
}

resource "aws_lb" "app" {
  name               = "orders-alb"
  load_balancer_type = "application"
  security_groups    = [aws_security_group.app.id]
  subnets            = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002", "subnet-0a1b2c3d4e5f60003"]
  idle_timeout       = 30
}

resource "aws_lb_target_group" "app" {
  name                          = "orders-tg"
  port                          = 8080
  protocol                      = "HTTP"
  vpc_id                        = data.aws_vpc.default.id
  load_balancing_algorithm_type = "least_outstanding_requests"
  deregistration_delay          = 120

  health_check {
    path                = "/healthz"
    matcher             = "200"
    interval            = 20
    timeout             = 5
    healthy_threshold   = 3
    unhealthy_threshold = 3
  }
}

resource "aws_lb_listener" "app" {
  load_balancer_arn = aws_lb.app.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.app.arn
  }
}

resource "aws_autoscaling_group" "app" {
  name                      = "${var.app_name}-asg"
  availability_zones        = slice(data.aws_availability_zones.available.names, 0, 3)
  min_size                  = 2
  max_size                  = 10
  desired_capacity          = 2
  target_group_arns         = [aws_lb_target_group.app.arn]
  health_check_type         = "ELB"
  health_check_grace_period = 180
  default_cooldown          = 300
  termination_policies      = ["OldestLaunchTemplate", "Default"]
  max_instance_lifetime     = 604800
  wait_for_capacity_timeout = "10m"
  force_delete              = true

  launch_template {
    id      = aws_launch_template.app.id
    version = aws_launch_template.app.latest_version
  }
}

resource "aws_autoscaling_policy" "scale_out" {
  name                      = "${var.app_name}-scale-out"
  autoscaling_group_name    = aws_autoscaling_group.app.name
  policy_type               = "StepScaling"
  adjustment_type           = "ChangeInCapacity"
  metric_aggregation_type   = "Average"
  estimated_instance_warmup = 180

  step_adjustment {
    metric_interval_lower_bound = 0
    metric_interval_upper_bound = 15
    scaling_adjustment          = 1
  }

  step_adjustment {
    metric_interval_lower_bound = 15
    scaling_adjustment          = 3
  }
}

resource "aws_autoscaling_policy" "scale_in" {
  name                    = "${var.app_name}-scale-in"
  autoscaling_group_name  = aws_autoscaling_group.app.name
  policy_type             = "StepScaling"
  adjustment_type         = "ChangeInCapacity"
  metric_aggregation_type = "Average"

  step_adjustment {
    metric_interval_upper_bound = 0
    scaling_adjustment          = -1
  }
}

resource "aws_cloudwatch_metric_alarm" "cpu_high" {
  alarm_name          = "${var.app_name}-cpu-high"
  alarm_description   = "Scale out when average CPU is at or above 70%"
  namespace           = "AWS/EC2"
  metric_name         = "CPUUtilization"
  statistic           = "Average"
  unit                = "Percent"
  period              = 60
  evaluation_periods  = 2
  threshold           = 70
  comparison_operator = "GreaterThanOrEqualToThreshold"
  actions_enabled     = true
  alarm_actions       = [aws_autoscaling_policy.scale_out.arn]

  dimensions = {
    AutoScalingGroupName = aws_autoscaling_group.app.name
  }
}

resource "aws_cloudwatch_metric_alarm" "cpu_low" {
  alarm_name          = "${var.app_name}-cpu-low"
  alarm_description   = "Scale in when average CPU is at or below 30%"
  namespace           = "AWS/EC2"
  metric_name         = "CPUUtilization"
  statistic           = "Average"
  unit                = "Percent"
  period              = 300
  evaluation_periods  = 3
  threshold           = 30
  comparison_operator = "LessThanOrEqualToThreshold"
  actions_enabled     = true
  alarm_actions       = [aws_autoscaling_policy.scale_in.arn]

  dimensions = {
    AutoScalingGroupName = aws_autoscaling_group.app.name
  }
}
