#!/usr/bin/env bash
# End-to-end checks of Cogito with the installed AWS CLI (v1 or v2), pointed at
# a freshly started server with --endpoint-url.
#
#   bash test/e2e/cli.sh        (COGITO_BIN overrides the binary; built if missing)
#
# Prints one line per check and ends with "cli: N passed, N failed, N skipped";
# exits non-zero when a check failed.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="${COGITO_BIN:-$root/bin/cogito}"
if [[ ! -x "$bin" ]]; then
	(cd "$root" && go build -o "$bin" ./cmd/cogito) || { echo "cli: cannot build $bin"; exit 1; }
fi

# Operations Cogito does not serve yet: checks needing them are skipped.
not_implemented=""

passed=0 failed=0 skipped=0
pass() { passed=$((passed + 1)); echo "PASS $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1${2:+: $2}"; }
skip() { skipped=$((skipped + 1)); echo "SKIP $1: $2"; }
needs() { # needs OP... : returns 1 (and names the op) when one is not implemented
	local op
	for op in "$@"; do
		if [[ " $not_implemented " == *" $op "* ]]; then
			echo "$op is not implemented in Cogito yet"
			return 1
		fi
	done
}

# JSON field by a dotted path (jq if present, else python3).
jfield() {
	if command -v jq >/dev/null 2>&1; then
		jq -r "$1 // empty"
	else
		python3 -c '
import json, sys
v = json.load(sys.stdin)
for k in sys.argv[1].lstrip(".").split("."):
    v = v.get(k) if isinstance(v, dict) else None
print("" if v is None else v)' "$1"
	fi
}

work="$(mktemp -d)"
pids=()
cleanup() {
	local pid
	for pid in "${pids[@]}"; do
		kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	done
	rm -rf "$work"
}
trap cleanup EXIT

# start_server NAME [SERVE ARGS...]: starts cogito on a free port with its own
# data directory and sets $endpoint; exits when it does not become healthy.
start_server() {
	local name="$1" port
	shift
	port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
	"$bin" serve --listen "127.0.0.1:$port" --data-dir "$work/$name" --test-mode --log-level warn "$@" 2>"$work/$name.log" &
	pids+=($!)
	endpoint="http://127.0.0.1:$port"
	for _ in $(seq 1 150); do
		curl -fsS "$endpoint/_cogito/health" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	echo "cogito ($name) did not start:"
	cat "$work/$name.log"
	echo "cli: 0 passed, 1 failed, 0 skipped"
	exit 1
}

# A private, empty AWS configuration: only what is set here counts.
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1
export AWS_CONFIG_FILE="$work/aws-config" AWS_SHARED_CREDENTIALS_FILE="$work/aws-credentials" AWS_PAGER=""
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_ENDPOINT_URL AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER
idp() { aws cognito-idp --endpoint-url "$endpoint" --output json "$@"; }

start_server main

# An AWS error: exit code 254 (CLI v2) or 255 (CLI v1) and the code in stderr.
expect_error() { # expect_error NAME CODE -- ARGS...
	local name="$1" code="$2"
	shift 3
	local rc=0
	idp "$@" >"$work/out" 2>"$work/err" || rc=$?
	if [[ $rc -ne 254 && $rc -ne 255 ]]; then
		fail "$name" "exit code $rc, want 254 or 255; stderr: $(cat "$work/err")"
	elif ! grep -q "($code)" "$work/err"; then
		fail "$name" "stderr lacks ($code): $(cat "$work/err")"
	else
		pass "$name"
	fi
}

name="cli-$RANDOM$RANDOM"
pool_id=""

# create-user-pool
if out="$(idp create-user-pool --pool-name "$name" \
	--policies 'PasswordPolicy={MinimumLength=10,RequireUppercase=true,RequireLowercase=true,RequireNumbers=false,RequireSymbols=false}' \
	--auto-verified-attributes email --user-pool-tags env=cli 2>"$work/err")"; then
	pool_id="$(jfield .UserPool.Id <<<"$out")"
	if [[ "$pool_id" =~ ^us-east-1_[0-9A-Za-z]+$ && "$(jfield .UserPool.Name <<<"$out")" == "$name" ]]; then
		pass "create-user-pool"
	else
		fail "create-user-pool" "unexpected output: $out"
	fi
else
	fail "create-user-pool" "$(cat "$work/err")"
fi

# describe-user-pool
if [[ -n "$pool_id" ]] && out="$(idp describe-user-pool --user-pool-id "$pool_id" 2>"$work/err")"; then
	if [[ "$(jfield .UserPool.Name <<<"$out")" == "$name" &&
		"$(jfield .UserPool.Policies.PasswordPolicy.MinimumLength <<<"$out")" == "10" &&
		"$(jfield .UserPool.UserPoolTags.env <<<"$out")" == "cli" ]]; then
		pass "describe-user-pool"
	else
		fail "describe-user-pool" "unexpected output: $out"
	fi
else
	fail "describe-user-pool" "$(cat "$work/err" 2>/dev/null)"
fi

# create-user-pool-client, with a generated secret
if why="$(needs CreateUserPoolClient)"; then
	if [[ -n "$pool_id" ]] && out="$(idp create-user-pool-client --user-pool-id "$pool_id" --client-name cli-app \
		--generate-secret --explicit-auth-flows ALLOW_USER_SRP_AUTH ALLOW_REFRESH_TOKEN_AUTH 2>"$work/err")"; then
		client_id="$(jfield .UserPoolClient.ClientId <<<"$out")"
		secret="$(jfield .UserPoolClient.ClientSecret <<<"$out")"
		if [[ -n "$client_id" && ${#secret} -ge 24 && "$(jfield .UserPoolClient.UserPoolId <<<"$out")" == "$pool_id" ]]; then
			pass "create-user-pool-client"
		else
			fail "create-user-pool-client" "unexpected output: $out"
		fi
	else
		fail "create-user-pool-client" "$(cat "$work/err" 2>/dev/null)"
	fi
else
	skip "create-user-pool-client" "$why"
fi

# list-user-pools, following NextToken
found=0 token="" pages=0
while :; do
	args=(list-user-pools --max-results 2)
	[[ -n "$token" ]] && args+=(--next-token "$token")
	if ! out="$(idp "${args[@]}" 2>"$work/err")"; then
		found=-1
		break
	fi
	pages=$((pages + 1))
	grep -q "\"$pool_id\"" <<<"$out" && found=$((found + 1))
	token="$(jfield .NextToken <<<"$out")"
	[[ -z "$token" || $pages -gt 500 ]] && break
done
if [[ $found -eq 1 ]]; then
	pass "list-user-pools"
else
	fail "list-user-pools" "pool $pool_id found $found times in $pages pages; $(cat "$work/err")"
fi

# Errors.
expect_error "describe-user-pool of an unknown pool" ResourceNotFoundException -- \
	describe-user-pool --user-pool-id us-east-1_NoSuchPool1
expect_error "create-user-pool with a bad name" InvalidParameterException -- \
	create-user-pool --pool-name 'bad/name!'

# delete-user-pool, then it is gone.
if [[ -n "$pool_id" ]] && idp delete-user-pool --user-pool-id "$pool_id" >"$work/out" 2>"$work/err"; then
	pass "delete-user-pool"
	expect_error "describe-user-pool after delete" ResourceNotFoundException -- \
		describe-user-pool --user-pool-id "$pool_id"
else
	fail "delete-user-pool" "$(cat "$work/err" 2>/dev/null)"
fi

# The user directory: admin-created users, list-users filters, groups, and a
# sign-up confirmed with the code read from the outbox.

# outbox_code POOL USER KIND: the code of the newest message to USER, which
# must be of KIND; empty when there is none.
outbox_code() {
	curl -fsS -G "$endpoint/_cogito/messages" --data-urlencode "userPoolId=$1" --data-urlencode "username=$2" 2>/dev/null |
		python3 -c '
import json, sys
msgs = json.load(sys.stdin)["messages"]
print(msgs[-1]["code"] if msgs and msgs[-1]["kind"] == sys.argv[1] else "")' "$3"
}

users_pool="" users_client=""
if ! why="$(needs CreateUserPool CreateUserPoolClient)"; then
	skip "users pool" "$why"
elif out="$(idp create-user-pool --pool-name "$name-users" --auto-verified-attributes email \
	--policies 'PasswordPolicy={MinimumLength=8,RequireUppercase=true,RequireLowercase=true,RequireNumbers=true,RequireSymbols=true}' \
	2>"$work/err")" && users_pool="$(jfield .UserPool.Id <<<"$out")" &&
	out="$(idp create-user-pool-client --user-pool-id "$users_pool" --client-name cli-web 2>"$work/err")" &&
	users_client="$(jfield .UserPoolClient.ClientId <<<"$out")" && [[ -n "$users_client" ]]; then
	pass "users pool and public client"
else
	fail "users pool and public client" "$(cat "$work/err")"
fi

# admin-create-user, with the invitation in the outbox
if ! why="$(needs AdminCreateUser)"; then
	skip "admin-create-user" "$why"
elif [[ -n "$users_pool" ]]; then
	ok=1
	for u in alice anne bert; do
		if ! out="$(idp admin-create-user --user-pool-id "$users_pool" --username "$u" --temporary-password 'Temp-Passw0rd' \
			--user-attributes Name=email,Value="$u@example.com" Name=given_name,Value="${u^}" \
			--desired-delivery-mediums EMAIL 2>"$work/err")"; then
			ok=0
			fail "admin-create-user $u" "$(cat "$work/err")"
			break
		fi
	done
	if [[ $ok -eq 1 ]]; then
		body="$(curl -fsS -G "$endpoint/_cogito/messages" --data-urlencode "userPoolId=$users_pool" --data-urlencode "username=alice" |
			python3 -c 'import json, sys; m = json.load(sys.stdin)["messages"]; print(m[-1]["body"] if len(m) == 1 else "")')"
		if [[ "$(jfield .User.UserStatus <<<"$out")" == FORCE_CHANGE_PASSWORD && "$(jfield .User.Username <<<"$out")" == bert &&
			"$body" == "Your username is alice and temporary password is Temp-Passw0rd. " ]]; then
			pass "admin-create-user"
		else
			fail "admin-create-user" "output: $out; invitation to alice: $body"
		fi
	fi
	expect_error "admin-create-user of an existing user" UsernameExistsException -- \
		admin-create-user --user-pool-id "$users_pool" --username alice --message-action SUPPRESS
fi

# list-users with --filter (the CLI pages through all results itself)
# list_names FILTER [ARGS...]: the usernames list-users returns, sorted, one line.
list_names() {
	local filter="$1"
	shift
	idp list-users --user-pool-id "$users_pool" --filter "$filter" "$@" 2>"$work/err" |
		python3 -c 'import json, sys; print(" ".join(sorted(u["Username"] for u in json.load(sys.stdin)["Users"])))'
}
if ! why="$(needs ListUsers AdminCreateUser)"; then
	skip "list-users --filter" "$why"
elif [[ -n "$users_pool" ]]; then
	got_eq="$(list_names 'username = "anne"')"
	got_prefix="$(list_names 'username ^= "a"' --page-size 1)"
	got_email="$(list_names 'email ^= "be"')"
	if [[ "$got_eq" == anne && "$got_prefix" == "alice anne" && "$got_email" == bert ]]; then
		pass "list-users --filter"
	else
		fail "list-users --filter" "= [$got_eq], ^= in pages of 1 [$got_prefix], email ^= [$got_email]; $(cat "$work/err")"
	fi
	expect_error "list-users with a malformed filter" InvalidParameterException -- \
		list-users --user-pool-id "$users_pool" --filter 'username == "x"'
fi

# create-group, admin-add-user-to-group, list-users-in-group, admin-list-groups-for-user
if ! why="$(needs CreateGroup AdminAddUserToGroup ListUsersInGroup AdminListGroupsForUser)"; then
	skip "admin-add-user-to-group" "$why"
elif [[ -n "$users_pool" ]]; then
	if idp create-group --user-pool-id "$users_pool" --group-name admins --precedence 1 >"$work/out" 2>"$work/err" &&
		idp admin-add-user-to-group --user-pool-id "$users_pool" --username alice --group-name admins >"$work/out" 2>>"$work/err" &&
		idp admin-add-user-to-group --user-pool-id "$users_pool" --username bert --group-name admins >"$work/out" 2>>"$work/err"; then
		members="$(idp list-users-in-group --user-pool-id "$users_pool" --group-name admins 2>>"$work/err" |
			python3 -c 'import json, sys; print(" ".join(sorted(u["Username"] for u in json.load(sys.stdin)["Users"])))')"
		groups="$(idp admin-list-groups-for-user --user-pool-id "$users_pool" --username alice 2>>"$work/err" |
			python3 -c 'import json, sys; print(" ".join(g["GroupName"] for g in json.load(sys.stdin)["Groups"]))')"
		if [[ "$members" == "alice bert" && "$groups" == admins ]]; then
			pass "admin-add-user-to-group"
		else
			fail "admin-add-user-to-group" "members [$members], groups of alice [$groups]; $(cat "$work/err")"
		fi
	else
		fail "admin-add-user-to-group" "$(cat "$work/err")"
	fi
	expect_error "admin-add-user-to-group of an unknown group" ResourceNotFoundException -- \
		admin-add-user-to-group --user-pool-id "$users_pool" --username alice --group-name nogroup
fi

# sign-up, then confirm-sign-up with the code from the outbox
if ! why="$(needs SignUp ConfirmSignUp AdminGetUser)"; then
	skip "sign-up and confirm-sign-up" "$why"
elif [[ -n "$users_client" ]]; then
	if out="$(idp sign-up --client-id "$users_client" --username jane --password 'Passw0rd!' \
		--user-attributes Name=email,Value=jane@example.com 2>"$work/err")"; then
		code="$(outbox_code "$users_pool" jane SIGN_UP)"
		if grep -q '"UserConfirmed": false' <<<"$out" && [[ "$(jfield .CodeDeliveryDetails.DeliveryMedium <<<"$out")" == EMAIL &&
			"$code" =~ ^[0-9]{6}$ ]]; then
			pass "sign-up"
		else
			fail "sign-up" "output: $out; code from the outbox: '$code'"
		fi
		wrong="$(( (${code:0:1} + 1) % 10 ))${code:1}"
		expect_error "confirm-sign-up with a wrong code" CodeMismatchException -- \
			confirm-sign-up --client-id "$users_client" --username jane --confirmation-code "$wrong"
		if idp confirm-sign-up --client-id "$users_client" --username jane --confirmation-code "$code" >"$work/out" 2>"$work/err" &&
			[[ "$(idp admin-get-user --user-pool-id "$users_pool" --username jane 2>>"$work/err" | jfield .UserStatus)" == CONFIRMED ]]; then
			pass "confirm-sign-up"
		else
			fail "confirm-sign-up" "$(cat "$work/err")"
		fi
	else
		fail "sign-up" "$(cat "$work/err")"
	fi
	expect_error "sign-up with a weak password" InvalidPasswordException -- \
		sign-up --client-id "$users_client" --username kim --password 'short'
fi

# Sign-in: admin-initiate-auth (bert's temporary password gives
# NEW_PASSWORD_REQUIRED, answered with admin-respond-to-auth-challenge),
# initiate-auth USER_PASSWORD_AUTH (jane, confirmed above), get-user with the
# access token, global-sign-out, and the errors.
signin_client=""
if ! why="$(needs AdminInitiateAuth AdminRespondToAuthChallenge InitiateAuth GetUser GlobalSignOut)"; then
	skip "sign-in" "$why"
elif [[ -n "$users_pool" ]]; then
	if out="$(idp create-user-pool-client --user-pool-id "$users_pool" --client-name cli-signin \
		--explicit-auth-flows ALLOW_USER_PASSWORD_AUTH ALLOW_ADMIN_USER_PASSWORD_AUTH ALLOW_REFRESH_TOKEN_AUTH 2>"$work/err")"; then
		signin_client="$(jfield .UserPoolClient.ClientId <<<"$out")"
	else
		fail "sign-in client" "$(cat "$work/err")"
	fi
fi
if [[ -n "$signin_client" ]]; then
	if out="$(idp admin-initiate-auth --user-pool-id "$users_pool" --client-id "$signin_client" --auth-flow ADMIN_USER_PASSWORD_AUTH \
		--auth-parameters USERNAME=bert,PASSWORD=Temp-Passw0rd 2>"$work/err")" &&
		[[ "$(jfield .ChallengeName <<<"$out")" == NEW_PASSWORD_REQUIRED ]] && session="$(jfield .Session <<<"$out")" &&
		out="$(idp admin-respond-to-auth-challenge --user-pool-id "$users_pool" --client-id "$signin_client" \
			--challenge-name NEW_PASSWORD_REQUIRED --session "$session" \
			--challenge-responses 'USERNAME=bert,NEW_PASSWORD=Chosen-Passw0rd!' 2>"$work/err")" &&
		[[ "$(jfield .AuthenticationResult.TokenType <<<"$out")" == Bearer && -n "$(jfield .AuthenticationResult.IdToken <<<"$out")" ]]; then
		pass "admin-initiate-auth NEW_PASSWORD_REQUIRED → admin-respond-to-auth-challenge"
	else
		fail "admin-initiate-auth NEW_PASSWORD_REQUIRED → admin-respond-to-auth-challenge" "output: $out; $(cat "$work/err")"
	fi

	access=""
	if out="$(idp initiate-auth --client-id "$signin_client" --auth-flow USER_PASSWORD_AUTH \
		--auth-parameters 'USERNAME=jane,PASSWORD=Passw0rd!' 2>"$work/err")" &&
		access="$(jfield .AuthenticationResult.AccessToken <<<"$out")" && [[ -n "$access" ]] &&
		[[ "$(idp get-user --access-token "$access" 2>"$work/err" | jfield .Username)" == jane ]]; then
		pass "initiate-auth USER_PASSWORD_AUTH, get-user with the access token"
	else
		fail "initiate-auth USER_PASSWORD_AUTH, get-user with the access token" "output: $out; $(cat "$work/err")"
	fi
	expect_error "initiate-auth with a wrong password" NotAuthorizedException -- \
		initiate-auth --client-id "$signin_client" --auth-flow USER_PASSWORD_AUTH --auth-parameters 'USERNAME=jane,PASSWORD=Wr0ng-Passw0rd!'
	if ! grep -q 'Incorrect username or password.' "$work/err"; then
		fail "initiate-auth with a wrong password: message" "$(cat "$work/err")"
	fi
	if [[ -n "$access" ]]; then
		if idp global-sign-out --access-token "$access" >"$work/out" 2>"$work/err"; then
			pass "global-sign-out"
			expect_error "get-user after global-sign-out" NotAuthorizedException -- get-user --access-token "$access"
		else
			fail "global-sign-out" "$(cat "$work/err")"
		fi
	fi
fi

# With IAM credentials configured, the CLI's (botocore's) signatures are checked.
start_server signed --iam-credentials "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY"
if idp list-user-pools --max-results 5 >"$work/out" 2>"$work/err"; then
	pass "signed list-user-pools accepted (SigV4 checks on)"
else
	fail "signed list-user-pools accepted (SigV4 checks on)" "$(cat "$work/err")"
fi
AWS_SECRET_ACCESS_KEY=not-the-secret expect_error "a wrong secret is refused (SigV4 checks on)" InvalidSignatureException -- \
	list-user-pools --max-results 5

echo "cli: $passed passed, $failed failed, $skipped skipped"
[[ $failed -eq 0 ]]
