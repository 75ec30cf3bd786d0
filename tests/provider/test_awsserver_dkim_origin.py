"""The loopback fake's ``set_dkim_origin``: SES v2 DKIM that moto cannot express."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

from maildoctor.testing.awsserver import AwsServer


def client(url: str, service: str, region: str = "us-east-1"):
    return boto3.session.Session(region_name=region).client(service, endpoint_url=url)


def dkim_v2(aws: AwsServer, identity: str, region: str = "us-east-1") -> dict:
    reply = client(aws.endpoint_url, "sesv2", region).get_email_identity(EmailIdentity=identity)
    return reply["DkimAttributes"]


def test_moto_v2_knows_no_byodkim(aws):
    """Why the fake exists: moto ignores DomainSigningSelector and reports AWS_SES, no tokens."""
    sesv2 = client(aws.moto_url, "sesv2")
    sesv2.create_email_identity(
        EmailIdentity="example.com",
        DkimSigningAttributes={"DomainSigningSelector": "sel", "DomainSigningPrivateKey": "QUFB"},
    )
    attributes = sesv2.get_email_identity(EmailIdentity="example.com")["DkimAttributes"]
    assert attributes["SigningAttributesOrigin"] == "AWS_SES" and "Tokens" not in attributes


def test_byodkim_origin_and_selector_are_reported_on_v2_only(aws):
    aws.add_domain_identity("example.com")
    aws.set_dkim_origin("example.com", "EXTERNAL", selector="byo1", status="PENDING")
    attributes = dkim_v2(aws, "example.com")
    assert attributes["SigningAttributesOrigin"] == "EXTERNAL"
    assert attributes["Tokens"] == ["byo1"] and attributes["Status"] == "PENDING"
    assert "NextSigningKeyLength" not in attributes  # an Easy DKIM field
    v1 = client(aws.endpoint_url, "ses").get_identity_dkim_attributes(Identities=["example.com"])
    assert len(v1["DkimAttributes"]["example.com"]["DkimTokens"]) == 3  # untouched


def test_easy_dkim_key_lengths_and_regions_are_separate(aws):
    aws.add_domain_identity("example.com")
    aws.add_domain_identity("example.com", region="eu-west-1")
    aws.set_dkim_origin(
        "Example.com",
        "AWS_SES",
        current_key_length="RSA_1024_BIT",
        next_key_length="RSA_2048_BIT",
    )
    here = dkim_v2(aws, "example.com")
    assert (here["CurrentSigningKeyLength"], here["NextSigningKeyLength"]) == (
        "RSA_1024_BIT",
        "RSA_2048_BIT",
    )
    assert "Tokens" not in here and here["SigningEnabled"] is True
    elsewhere = dkim_v2(aws, "example.com", "eu-west-1")
    assert "CurrentSigningKeyLength" not in elsewhere and elsewhere["SigningEnabled"] is False


def test_unknown_identity_is_still_not_found_and_reset_forgets(aws_server: AwsServer):
    aws_server.reset()
    aws_server.set_dkim_origin("nowhere.example", selector="s")
    with pytest.raises(ClientError) as caught:
        dkim_v2(aws_server, "nowhere.example")
    assert caught.value.response["Error"]["Code"] == "NotFoundException"
    aws_server.add_domain_identity("example.com")
    aws_server.set_dkim_origin("example.com", selector="s")
    aws_server.reset()
    aws_server.add_domain_identity("example.com")
    assert dkim_v2(aws_server, "example.com")["SigningAttributesOrigin"] == "AWS_SES"
