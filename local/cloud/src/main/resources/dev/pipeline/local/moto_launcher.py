"""Starts moto_server for the pipeline's local cloud.

Prints one line on stdout when it is listening: ``MOTO_READY <port>``.
Prints one line on stderr and exits 3 when moto is missing or the wrong version.

Why a launcher and not plain ``moto_server``:
* Step Functions execution is switched on before the first request
  (``{"stepfunctions": {"execute_state_machine": true}}``).
* moto 5.2.1 deep-copies a state machine, past executions included, on every
  StartExecution; executions hold threads, so the second execution of a state
  machine fails with ``cannot pickle '_thread.RLock'``. Executions are made to
  return themselves from deepcopy (they are never mutated through the copy).
* SIGTERM exits at once (moto's own handler waits for execution threads), and
  the server exits when its parent closes our stdin, so a killed JVM leaves no
  orphan behind.
"""
import os
import sys
import threading

EXPECTED_MOTO = "5.2.1"
INSTALL_HINT = "pip install 'moto[server]==%s'" % EXPECTED_MOTO


def fail(message):
    sys.stderr.write(message + "\n")
    sys.stderr.flush()
    os._exit(3)


def main():
    if len(sys.argv) != 3:
        fail("usage: moto_launcher.py <bind-port or 0> <gateway-port>")
    bind_port = int(sys.argv[1])
    # moto's Step Functions interpreter sends Lambda tasks and aws-sdk integrations to
    # localhost:$MOTO_PORT; pointing it at the gateway brings them back to our handlers.
    os.environ["MOTO_PORT"] = sys.argv[2]
    try:
        import moto
    except ImportError as e:
        fail("moto_server is not installed for %s (%s). Install it: %s"
             % (sys.executable, e, INSTALL_HINT))
    version = getattr(moto, "__version__", "unknown")
    if version != EXPECTED_MOTO:
        fail("moto %s found for %s, the local cloud is pinned to %s (its gaps are measured for that version). Install it: %s"
             % (version, sys.executable, EXPECTED_MOTO, INSTALL_HINT))
    try:
        from werkzeug.serving import make_server
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
    except ImportError as e:
        fail("moto %s is installed for %s without its server extras (%s). Install them: %s"
             % (version, sys.executable, e, INSTALL_HINT))

    from moto.core.config import default_user_config
    default_user_config["stepfunctions"]["execute_state_machine"] = True

    from moto.stepfunctions.parser.backend.execution import Execution as ParserExecution
    from moto.stepfunctions.models import Execution as PlainExecution
    ParserExecution.__deepcopy__ = lambda self, memo: self
    PlainExecution.__deepcopy__ = lambda self, memo: self

    # moto 5.2.1 decodes UserData into its Base64EncodedString type in CreateLaunchTemplate but not in
    # CreateLaunchTemplateVersion; launching from such a version (Auto Scaling, RunInstances) then fails with a 500
    # (an assertion in LaunchTemplateVersion.user_data). Every version made from a SourceVersion inherits UserData,
    # so every version the deploy makes would hit it.
    from moto.ec2.models.launch_templates import LaunchTemplate
    from moto.ec2.utils import parse_user_data
    create_version = LaunchTemplate.create_version

    def create_version_with_parsed_user_data(self, data, description):
        if isinstance(data.get("UserData"), str):
            data = dict(data, UserData=parse_user_data(data["UserData"]))
        return create_version(self, data, description)

    LaunchTemplate.create_version = create_version_with_parsed_user_data

    # An execution whose output holds a context value such as $$.Execution.StartTime keeps a datetime there;
    # moto's DescribeExecution then fails with "datetime is not JSON serializable" (HTTP 500). AWS renders it
    # as an ISO-8601 string, so moto's Step Functions responses get an encoder that does the same.
    import datetime
    import json
    import types
    import moto.stepfunctions.responses as sfn_responses

    def _aws_time(value):
        if isinstance(value, datetime.datetime):
            return value.astimezone(datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        raise TypeError("Object of type %s is not JSON serializable" % type(value).__name__)

    sfn_responses.json = types.SimpleNamespace(
        dumps=lambda obj, **kw: json.dumps(obj, default=_aws_time, **kw), loads=json.loads)

    # moto names a Lambda task's failures unlike Step Functions: a Lambda service error (ServiceException,
    # TooManyRequestsException, ...) becomes "Exception" for a plain function ARN Task, and a function error
    # whose payload has no errorType becomes "Exception". AWS: "Lambda errors are reported as
    # Lambda.<ErrorName>" and "Unhandled errors in Lambda are reported as Lambda.Unknown"
    # (https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html), so a Retry on
    # those names, as AWS recommends, never matched locally.
    from botocore.exceptions import ClientError
    from moto.stepfunctions.parser.asl.component.state.exec.state_task import lambda_eval_utils
    from moto.stepfunctions.parser.asl.component.state.exec.state_task.state_task_lambda import StateTaskLambda
    from moto.stepfunctions.parser.asl.component.common.error_name.custom_error_name import CustomErrorName
    from moto.stepfunctions.parser.asl.component.common.error_name.failure_event import FailureEvent
    from moto.stepfunctions.parser.api import HistoryEventType, LambdaFunctionFailedEventDetails
    from moto.stepfunctions.parser.asl.eval.event.event_detail import EventDetails
    lambda_task_from_error = StateTaskLambda._from_error

    def _lambda_failure(env, error, cause):
        return FailureEvent(
            env=env, error_name=CustomErrorName(error), event_type=HistoryEventType.LambdaFunctionFailed,
            event_details=EventDetails(lambdaFunctionFailedEventDetails=LambdaFunctionFailedEventDetails(
                error=error, cause=cause)))

    def lambda_task_from_error_as_aws(self, env, ex):
        if isinstance(ex, ClientError):
            return _lambda_failure(env, "Lambda." + ex.response["Error"]["Code"], ex.response["Error"]["Message"])
        if isinstance(ex, lambda_eval_utils.LambdaFunctionErrorException):
            try:
                error_type = json.loads(ex.payload).get("errorType")
            except Exception:
                error_type = None
            if not error_type:
                return _lambda_failure(env, "Lambda.Unknown", ex.payload)
        return lambda_task_from_error(self, env, ex)

    StateTaskLambda._from_error = lambda_task_from_error_as_aws

    # moto's interpreter invokes a Lambda task with fixed keys ("ak"), so the gateway saw the operator, not the
    # state machine. AWS: Step Functions calls the function as the state machine's execution role (or the
    # Task's Credentials.RoleArn), which needs lambda:InvokeFunction on it ("How Step Functions works with IAM",
    # Step Functions developer guide). Sign with that role's local session keys (dev.pipeline.local.iam.
    # RoleCredentials: the access key id names the role), so the gateway evaluates the role's policies.
    import boto3
    from botocore.config import Config
    from moto.settings import moto_server_port
    from moto.stepfunctions.parser.asl.component.common.timeouts.timeout import TimeoutSeconds
    from moto.stepfunctions.parser.asl.utils import boto_client as sfn_boto_client
    boto_client_for = sfn_boto_client.boto_client_for
    role_clients = {}
    role_clients_lock = threading.Lock()

    def boto_client_as_role(region, service, state_credentials=None):
        role_arn = getattr(state_credentials, "role_arn", None) or ""
        if ":role/" not in role_arn:
            return boto_client_for(region, service, state_credentials)
        role_name = role_arn.rsplit("/", 1)[1]
        key = (region, service, role_name)
        with role_clients_lock:
            client = role_clients.get(key)
            if client is None:
                # as moto's boto_client_for, but with the role's keys (a client per role is reused: boto3
                # clients are thread-safe, and making one costs more than the call)
                client = boto3.client(
                    service_name=service, region_name=region, endpoint_url="http://localhost:%s" % moto_server_port(),
                    aws_access_key_id="ASIALOCAL" + role_name.encode("utf-8").hex().upper(),
                    aws_secret_access_key="local-role-secret", aws_session_token="local-role-session",
                    config=Config(parameter_validation=False, retries={"max_attempts": 0, "total_max_attempts": 1},
                                  connect_timeout=TimeoutSeconds.DEFAULT_TIMEOUT_SECONDS,
                                  read_timeout=TimeoutSeconds.DEFAULT_TIMEOUT_SECONDS))
                role_clients[key] = client
        return client

    lambda_eval_utils.boto_client_for = boto_client_as_role
    # The aws-sdk service integrations (arn:aws:states:::aws-sdk:codedeploy:createDeployment...) likewise: Step
    # Functions makes the integrated service's call as the execution role, whose policy must allow that service's
    # action ("How Step Functions works with IAM"), so a workflow's CodeDeploy calls are judged by the gateway as the
    # role's. A denial fails the Task as "<ServiceName>.<ErrorName>" (CodeDeploy.AccessDeniedException; "Learning to
    # use AWS service SDK integrations in Step Functions"). The optimized integrations (sns:publish, ...) still
    # go with moto's fixed keys: no workflow here uses one.
    from moto.stepfunctions.parser.asl.component.state.exec.state_task.service import \
        state_task_service_aws_sdk as aws_sdk_task
    aws_sdk_task.boto_client_for = boto_client_as_role

    # moto's S3 -> EventBridge events carry a constant detail.object.sequencer ("617f08299329d189"). AWS: the
    # sequencer is "a string representation of a hexadecimal value used to determine event sequence" of one object
    # key, the greater being later (S3 user guide, "Event message structure"). The deploy orders uploads of one
    # second by it, so the local events get a fixed-width sequencer that grows with every event. (moto renders
    # "time" as AWS does, ISO 8601 to the second, when it delivers.)
    import itertools
    import time as _time
    from moto.events.models import Rule
    s3_sequence = itertools.count(int(_time.time() * 1000) << 12)
    s3_sequence_lock = threading.Lock()
    rule_send = Rule.send_to_targets

    def send_to_targets_as_aws(self, event, transform_input=True):
        # one event goes to every rule: stamp it once
        obj = event.get("detail", {}).get("object", {}) if event.get("source") == "aws.s3" else {}
        if obj.get("sequencer") == "617f08299329d189":
            with s3_sequence_lock:
                obj["sequencer"] = "%018X" % next(s3_sequence)
        return rule_send(self, event, transform_input=transform_input)

    Rule.send_to_targets = send_to_targets_as_aws

    # Step Functions waits are AWS time: a Wait state's Seconds/SecondsPath and a Retry's IntervalSeconds (with its
    # BackoffRate) run on the local cloud's clock, as boots, images and warm-ups do, so a workflow polling every
    # PollSeconds waits PollSeconds/scale here. Never less than 0.2 s (or the AWS figure, if smaller): a poll loop
    # must not spin against the instances it waits for. PIPELINE_TIME_SCALE comes from the local cloud's clock.
    scale = float(os.environ.get("PIPELINE_TIME_SCALE", "1"))
    if scale > 1:
        def local_seconds(aws_seconds):
            return max(aws_seconds / scale, min(aws_seconds, 0.2))

        from moto.stepfunctions.parser.asl.component.state.wait.wait_function.wait_function import WaitFunction

        def wait_on_local_clock(self, env, wait_seconds):
            if wait_seconds <= 0:
                return
            deadline = _time.time() + local_seconds(wait_seconds)
            while env.is_running():
                remaining = deadline - _time.time()
                if remaining <= 0:
                    return
                env.program_state_event.wait(remaining)
                if not env.is_running():
                    return
                if _time.time() < deadline:
                    _time.sleep(0.01)  # an unrelated wake-up: keep waiting, without spinning on a set event

        WaitFunction._wait_interval = wait_on_local_clock

        import moto.stepfunctions.parser.asl.component.common.retry.retrier_decl as retrier_decl
        retrier_decl.time = types.SimpleNamespace(
            sleep=lambda seconds: _time.sleep(local_seconds(seconds)), time=_time.time, monotonic=_time.monotonic)

    # "Parameters in Step Functions are expressed in PascalCase, even if the native service API is in camelCase"
    # (Step Functions developer guide, "Learning to use AWS service SDK integrations"), and the results come back
    # PascalCased too. moto's interpreter passes aws-sdk parameters and results unchanged (its _normalise_parameters
    # and _normalise_response are stubs), so a CodeDeploy task (a camelCase API: CreateDeployment's applicationName)
    # failed with KeyError 'ApplicationName'. For CodeDeploy only (the PascalCase APIs the workflows already call
    # keep moto's behaviour), the interpreter's own converters are applied with the operation's botocore shapes.
    from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_aws_sdk import \
        StateTaskServiceAwsSdk
    from moto.stepfunctions.parser.utils import camel_to_snake_case
    import botocore.session
    _camel_case_services = {"codedeploy"}
    _operations = {}

    def _operation(self, boto_service_name, service_action_name):
        service = self._get_boto_service_name(boto_service_name)
        if service not in _camel_case_services:
            return None
        action = self._get_boto_service_action(service_action_name)
        if (service, action) not in _operations:
            model = botocore.session.get_session().get_service_model(service)
            name = next((n for n in model.operation_names if camel_to_snake_case(n) == action), None)
            _operations[(service, action)] = model.operation_model(name) if name else None
        return _operations[(service, action)]

    def aws_sdk_parameters(self, parameters, boto_service_name=None, service_action_name=None):
        op = _operation(self, boto_service_name, service_action_name)
        if op is not None and op.input_shape is not None:
            self._to_boto_request(parameters, op.input_shape)

    def aws_sdk_response(self, response, boto_service_name=None, service_action_name=None):
        op = _operation(self, boto_service_name, service_action_name)
        if op is not None and op.output_shape is not None:
            self._from_boto_response(response, op.output_shape)

    StateTaskServiceAwsSdk._normalise_parameters = aws_sdk_parameters
    StateTaskServiceAwsSdk._normalise_response = aws_sdk_response

    # "If an AWS SDK integration encounters an error, the resulting Error field is composed of the service name and
    # the error name, separated by a period" ("Learning to use AWS service SDK integrations in Step Functions"). moto
    # names an error its botocore model lacks (CodeDeploy's AccessDeniedException, a common error) after the service
    # ("CodeDeploy.CodeDeployException"); name it by its code, as AWS does.
    normalise_exception_name = StateTaskServiceAwsSdk._normalise_exception_name

    def exception_name_as_aws(norm_service_name, ex):
        code = ex.response.get("Error", {}).get("Code") if type(ex) is ClientError else None
        if not code:
            return normalise_exception_name(norm_service_name, ex)
        name = "%s.%s" % (norm_service_name, code)
        return name if name.endswith("Exception") else name + "Exception"

    StateTaskServiceAwsSdk._normalise_exception_name = staticmethod(exception_name_as_aws)
    # "Both the service name and error name are in Pascal case" (same page); moto knows DynamoDb and Sfn only
    aws_sdk_task._SERVICE_ERROR_NAMES.setdefault("codedeploy", "CodeDeploy")

    import logging
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one log line per request costs time and says nothing here

    app = DomainDispatcherApplication(create_backend_app)
    try:
        server = make_server("127.0.0.1", bind_port, app, threaded=True)
    except OSError as e:
        fail("moto_server could not listen on 127.0.0.1:%d: %s" % (bind_port, e))

    import signal
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    signal.signal(signal.SIGINT, lambda *_: os._exit(0))

    def exit_when_parent_goes():
        try:
            while sys.stdin.buffer.read(1):
                pass
        except Exception:
            pass
        os._exit(0)

    threading.Thread(target=exit_when_parent_goes, daemon=True).start()
    sys.stdout.write("MOTO_READY %d\n" % server.port)
    sys.stdout.flush()
    server.serve_forever()


if __name__ == "__main__":
    main()
