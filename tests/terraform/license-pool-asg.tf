# Set-up 1: license keys handed out to an Auto Scaling group (the license pool).
# A t2.micro launch configuration whose user data fetches a script from S3 that
# claims an unused key in DynamoDB; a group on the default VPC's subnets, no
# load balancer; a lifecycle hook and an EventBridge rule give the key back.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region = var.region
}

variable "region" {
  type    = string
  default = "us-west-2"
}

variable "key_count" {
  type    = number
  default = 5
}

data "aws_ami" "amazon_linux" {
  most_recent = true
  owners      = ["amazon"]
  filter {
    name   = "name"
    values = ["al2023-ami-*-x86_64"]
  }
}

# The default VPC and its subnets, one per zone of us-west-2.
resource "aws_default_vpc" "default" {}

resource "aws_default_subnet" "subnet_a" {
  availability_zone = "us-west-2a"
}

resource "aws_default_subnet" "subnet_b" {
  availability_zone = "us-west-2b"
}

resource "aws_default_subnet" "subnet_c" {
  availability_zone = "us-west-2c"
}

resource "aws_default_subnet" "subnet_d" {
  availability_zone = "us-west-2d"
}

resource "aws_dynamodb_table" "license_key_db" {
  name         = "license_key_db"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "key"

  attribute {
    name = "key"
    type = "S"
  }
}

resource "random_password" "license" {
  count   = var.key_count
  length  = 24
  special = false
}

resource "aws_dynamodb_table_item" "license" {
  count      = var.key_count
  table_name = aws_dynamodb_table.license_key_db.name
  hash_key   = aws_dynamodb_table.license_key_db.hash_key
  item = jsonencode({
    key  = { S = random_password.license[count.index].result }
    used = { BOOL = false }
  })
}

resource "aws_s3_bucket" "scripts" {
  bucket = "license-scripts"
}

resource "aws_s3_object" "take_key" {
  bucket = aws_s3_bucket.scripts.id
  key    = "take_key.sh"
  source = "${path.module}/take_key.sh"
}

resource "aws_iam_role" "license_ec2" {
  name = "license-ec2-s3-dynamodb"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy_attachment" "s3" {
  role       = aws_iam_role.license_ec2.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
}

resource "aws_iam_role_policy_attachment" "dynamodb" {
  role       = aws_iam_role.license_ec2.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess"
}

resource "aws_iam_role_policy_attachment" "ec2_tags" {
  role       = aws_iam_role.license_ec2.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonEC2FullAccess"
}

resource "aws_iam_instance_profile" "license_ec2" {
  name = "license-ec2-s3-dynamodb"
  role = aws_iam_role.license_ec2.name
}

resource "aws_security_group" "license" {
  name_prefix = "license-"
  vpc_id      = aws_default_vpc.default.id

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_launch_configuration" "license_lc" {
  name_prefix          = "license-"
  image_id             = data.aws_ami.amazon_linux.id
  instance_type        = "t2.micro"
  iam_instance_profile = aws_iam_instance_profile.license_ec2.name
  security_groups      = [aws_security_group.license.id]
  user_data            = <<-EOT
    #!/bin/bash
    aws s3 cp s3://license-scripts/take_key.sh /tmp/take_key.sh
    bash /tmp/take_key.sh
  EOT

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_autoscaling_group" "asg1" {
  name                      = "asg1"
  launch_configuration      = aws_launch_configuration.license_lc.name
  vpc_zone_identifier       = [aws_default_subnet.subnet_a.id, aws_default_subnet.subnet_b.id, aws_default_subnet.subnet_c.id, aws_default_subnet.subnet_d.id]
  health_check_type         = "EC2"
  health_check_grace_period = 300
  min_size                  = 1
  desired_capacity          = 1
  max_size                  = 3

  tag {
    key                 = "Name"
    value               = "license-pool"
    propagate_at_launch = true
  }
}

resource "aws_autoscaling_lifecycle_hook" "before_terminate" {
  name                   = "before_terminate"
  autoscaling_group_name = aws_autoscaling_group.asg1.name
  lifecycle_transition   = "autoscaling:EC2_INSTANCE_TERMINATING"
  default_result         = "ABANDON"
  heartbeat_timeout      = 300
}

resource "aws_iam_role" "lambda" {
  name = "before-terminating-lambda"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

data "archive_file" "before_terminating" {
  type        = "zip"
  source_file = "${path.module}/before_terminating.py"
  output_path = "${path.module}/before_terminating.zip"
}

resource "aws_lambda_function" "before_terminating" {
  function_name    = "before_terminating"
  role             = aws_iam_role.lambda.arn
  runtime          = "python3.12"
  handler          = "before_terminating.handler"
  filename         = data.archive_file.before_terminating.output_path
  source_code_hash = data.archive_file.before_terminating.output_base64sha256
  timeout          = 30
}

resource "aws_cloudwatch_event_rule" "ec2_terminate" {
  name = "ec2_terminate"
  event_pattern = jsonencode({
    source      = ["aws.autoscaling"]
    detail-type = ["EC2 Instance-terminate Lifecycle Action"]
    detail = {
      AutoScalingGroupName = ["asg1"]
    }
  })
}

resource "aws_cloudwatch_event_target" "before_terminating" {
  rule = aws_cloudwatch_event_rule.ec2_terminate.name
  arn  = aws_lambda_function.before_terminating.arn
}

resource "aws_lambda_permission" "events" {
  statement_id  = "AllowEventBridge"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.before_terminating.function_name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.ec2_terminate.arn
}
