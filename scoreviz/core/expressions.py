"""User-typed densities: ``expr:EXPRESSION``, an unnormalised log-density f(x, y).

The text is parsed with :mod:`ast` and checked against an allow-list -- numbers, the names
x, y, pi, e, the operators + - * / ** (unary - and +), parentheses and the functions in
``FUNCTIONS`` -- then compiled to a torch function.  User text is never passed to eval/exec.
Refused quickly, with a message naming the offending piece: anything else (attributes,
other names or calls, subscripts, lambdas, strings, comprehensions, comparisons...), input
longer than ``MAX_LENGTH`` characters, nesting deeper than ``MAX_DEPTH``, and constant
exponents with |exponent| > ``MAX_EXPONENT`` (so ``9**9**9**9`` is refused, not computed).

The density is the *discretised* expression: f is evaluated at the centres of a
resolution x resolution grid of cells over the box, the cell weights are
w_ij = exp(f_ij - logsumexp f), and the result is a GridDensity with a blur of one cell:

    p(x) = sum_ij w_ij [uniform cell ij * N(0, h^2 I)](x),   h = cell size.

Its log_prob is normalised, and its samples, score and p_sigma are exact for *that* density;
within the box its score is close to grad f (to O(h)), outside the box it decays like a Gaussian
tail.  Cells where f is NaN or -inf get zero weight; +inf anywhere, or no finite value at all,
is an error.
"""

from __future__ import annotations

import ast
import math
import warnings
from typing import Callable

import torch
from torch import Tensor

from scoreviz.core.errors import ScorevizError
from scoreviz.core.text import N_, Composed
from scoreviz.core.grid_density import GridDensity
from scoreviz.core.toy_params import Param, validate_params

MAX_LENGTH = 500
MAX_DEPTH = 60
MAX_EXPONENT = 1024.0

NAMES = ("x", "y", "pi", "e")
CONSTANTS = {"pi": math.pi, "e": math.e}

FUNCTIONS: dict[str, tuple[int, Callable[..., Tensor]]] = {
    "exp": (1, torch.exp),
    "log": (1, torch.log),
    "log1p": (1, torch.log1p),
    "expm1": (1, torch.expm1),
    "sqrt": (1, torch.sqrt),
    "sin": (1, torch.sin),
    "cos": (1, torch.cos),
    "tan": (1, torch.tan),
    "tanh": (1, torch.tanh),
    "sinh": (1, torch.sinh),
    "cosh": (1, torch.cosh),
    "atan": (1, torch.atan),
    "abs": (1, torch.abs),
    "sigmoid": (1, torch.sigmoid),
    "softplus": (1, torch.nn.functional.softplus),
    "relu": (1, torch.relu),
    "square": (1, torch.square),
    "atan2": (2, torch.atan2),
    "hypot": (2, torch.hypot),
    "min": (2, torch.minimum),
    "max": (2, torch.maximum),
}

_BINOPS = {
    ast.Add: torch.add,
    ast.Sub: torch.sub,
    ast.Mult: torch.mul,
    ast.Div: torch.div,
    ast.Pow: torch.pow,
}
_BINOP_TEXT = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}

_KIND = {
    ast.Attribute: "attribute access",
    ast.Subscript: "subscript",
    ast.Lambda: "lambda",
    ast.List: "list",
    ast.Tuple: "tuple",
    ast.Set: "set",
    ast.Dict: "dict",
    ast.ListComp: "comprehension",
    ast.SetComp: "comprehension",
    ast.DictComp: "comprehension",
    ast.GeneratorExp: "generator expression",
    ast.Compare: "comparison",
    ast.BoolOp: "boolean operator",
    ast.IfExp: "conditional expression",
    ast.NamedExpr: "assignment expression",
    ast.Starred: "starred expression",
    ast.JoinedStr: "f-string",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
    ast.Slice: "slice",
}

EXPRESSION_PARAMS: dict[str, Param] = {
    "box": Param("box", (-4.0, 4.0, -4.0, 4.0), "box", help="the box the expression lives in: xmin,xmax,ymin,ymax"),
    "resolution": Param("resolution", 128, "int", 8, 256, "grid cells per side used to discretise the expression"),
}


def _err(template: str, /, **values) -> ScorevizError:
    """``expression: <reason>``, the reason ``template`` (marked with N_) filled with ``values`` (composed:
    the GUI shows the refusal in its language)."""
    return ScorevizError.compose(N_("expression: {reason}"), reason=Composed.compose(template, **values))


def _snippet(node: ast.AST) -> str:
    try:
        text = ast.unparse(node)
    except Exception:  # pragma: no cover - unparse of a checked tree does not fail
        text = type(node).__name__
    return text if len(text) <= 60 else text[:57] + "..."


def _check_text(text: str) -> None:
    if not isinstance(text, str):
        raise _err(N_("{value} is not text"), value=repr(text))
    if len(text) > MAX_LENGTH:
        raise _err(N_("too long ({n} characters; at most {most})"), n=len(text), most=MAX_LENGTH)
    if not text.strip():
        raise _err(N_("empty; type a log-density in x and y, e.g. -(x**2 + y**2)/2"))
    depth = deepest = 0
    for ch in text:
        if ch in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in ")]}":
            depth -= 1
    if deepest > MAX_DEPTH:
        raise _err(N_("nested too deeply ({n} levels of brackets; at most {most})"), n=deepest, most=MAX_DEPTH)


def _check_depth(tree: ast.AST) -> None:
    stack = [(tree, 1)]
    while stack:
        node, d = stack.pop()
        if d > MAX_DEPTH:
            raise _err(N_("nested too deeply (more than {most} levels)"), most=MAX_DEPTH)
        stack.extend((child, d + 1) for child in ast.iter_child_nodes(node))


def _check_node(node: ast.AST) -> None:
    """Raise for anything outside the allow-list (breadth first: the outermost offence is named)."""
    if isinstance(node, ast.Expression):
        return
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            raise _err(N_("constant {what} is not allowed; only real numbers"), what=_snippet(node))
        return
    if isinstance(node, ast.Name):
        if node.id not in NAMES:
            raise _err(N_("name {name} is not allowed; use x, y, pi, e"), name=repr(node.id))
        return
    if isinstance(node, ast.BinOp):
        if type(node.op) not in _BINOPS:
            raise _err(N_("operator in {what} is not allowed; use + - * / **"), what=repr(_snippet(node)))
        return
    if isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, (ast.USub, ast.UAdd)):
            raise _err(N_("operator in {what} is not allowed; use + - * / **"), what=repr(_snippet(node)))
        return
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name):
            raise _err(N_("call {what} is not allowed; call a function by name: {functions}"), what=repr(_snippet(node)),
                       functions=", ".join(FUNCTIONS))
        fname = node.func.id
        if fname not in FUNCTIONS:
            raise _err(N_("function {name} is not allowed; allowed functions: {functions}"), name=repr(fname),
                       functions=", ".join(FUNCTIONS))
        if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            raise _err(N_("keyword or starred arguments in {what} are not allowed"), what=repr(_snippet(node)))
        nargs = FUNCTIONS[fname][0]
        if len(node.args) != nargs:
            raise _err(N_("function {name} takes {n} arguments, got {got}") if nargs > 1
                       else N_("function {name} takes {n} argument, got {got}"), name=repr(fname), n=nargs,
                       got=len(node.args))
        return
    if isinstance(node, (ast.expr_context, ast.operator, ast.unaryop)):
        return
    kind = _KIND.get(type(node), type(node).__name__)
    raise _err(N_("{kind} {what} is not allowed"), kind=kind, what=repr(_snippet(node)))


def _is_constant(node: ast.AST) -> bool:
    return not any(isinstance(n, ast.Name) and n.id in ("x", "y") for n in ast.walk(node))


def _number(node: ast.Constant) -> float:
    try:
        return float(node.value)
    except OverflowError:
        raise _err(N_("number {what} is too large"), what=_snippet(node)) from None


def _compile(node: ast.AST) -> Callable[[Tensor, Tensor], Tensor]:
    """A torch function (x, y) -> value of a checked tree (recursion depth <= MAX_DEPTH)."""
    if isinstance(node, ast.Expression):
        return _compile(node.body)
    if isinstance(node, ast.Constant):
        value = _number(node)
        return lambda x, y: torch.full_like(x, value)
    if isinstance(node, ast.Name):
        if node.id == "x":
            return lambda x, y: x
        if node.id == "y":
            return lambda x, y: y
        value = CONSTANTS[node.id]
        return lambda x, y: torch.full_like(x, value)
    if isinstance(node, ast.UnaryOp):
        inner = _compile(node.operand)
        if isinstance(node.op, ast.USub):
            return lambda x, y: -inner(x, y)
        return inner
    if isinstance(node, ast.BinOp):
        left, right = _compile(node.left), _compile(node.right)
        if isinstance(node.op, ast.Pow) and _is_constant(node.right):
            zero = torch.zeros(1, dtype=torch.float64)
            exponent = float(right(zero, zero)[0])  # its own powers were checked when it was compiled
            if not math.isfinite(exponent) or abs(exponent) > MAX_EXPONENT:
                raise _err(N_("power {what} has an absurd exponent; |exponent| must be <= {most}"),
                           what=repr(_snippet(node)), most=f"{MAX_EXPONENT:g}")
        op = _BINOPS[type(node.op)]
        return lambda x, y: op(left(x, y), right(x, y))
    if isinstance(node, ast.Call):
        _, fn = FUNCTIONS[node.func.id]
        args = [_compile(a) for a in node.args]
        if len(args) == 1:
            (a0,) = args
            return lambda x, y: fn(a0(x, y))
        a0, a1 = args
        return lambda x, y: fn(a0(x, y), a1(x, y))
    raise _err(N_("{what} is not allowed"), what=repr(_snippet(node)))  # unreachable after _check_node


def parse_expression(text: str) -> Callable[[Tensor, Tensor], Tensor]:
    """Check and compile ``text`` into f(x, y) -> Tensor (broadcast over x and y); ScorevizError if refused."""
    _check_text(text)
    try:
        with warnings.catch_warnings():  # e.g. "invalid decimal literal" for 1and: the error says enough
            warnings.simplefilter("ignore", SyntaxWarning)
            tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        if exc.offset:
            raise _err(N_("syntax error at column {column}: {error}"), column=exc.offset, error=exc.msg) from None
        raise _err(N_("syntax error: {error}"), error=exc.msg) from None
    except (MemoryError, RecursionError, ValueError) as exc:
        raise _err(N_("cannot be parsed ({error})"), error=type(exc).__name__) from None
    _check_depth(tree)
    queue = [tree]
    while queue:  # breadth first, so the outermost offending piece is the one named
        node = queue.pop(0)
        _check_node(node)
        children = list(ast.iter_child_nodes(node))
        if isinstance(node, ast.Call):  # the function's own name was checked with the call
            children = [c for c in children if c is not node.func]
        queue.extend(children)
    fn = _compile(tree)

    def f(x: Tensor, y: Tensor) -> Tensor:
        x, y = torch.broadcast_tensors(torch.as_tensor(x), torch.as_tensor(y))
        return fn(x, y)

    return f


def expression_density(expression: str, box=(-4.0, 4.0, -4.0, 4.0), resolution: int = 128) -> GridDensity:
    """The discretised density of exp(expression) on ``box`` (see the module docstring)."""
    values = validate_params("expression", EXPRESSION_PARAMS, {"box": box, "resolution": resolution})
    box, res = values["box"], values["resolution"]
    f = parse_expression(expression)
    x0, x1, y0, y1 = box
    hx, hy = (x1 - x0) / res, (y1 - y0) / res
    xs = x0 + hx * (torch.arange(res, dtype=torch.float64) + 0.5)
    ys = y0 + hy * (torch.arange(res, dtype=torch.float64) + 0.5)
    yy, xx = torch.meshgrid(ys, xs, indexing="ij")  # row 0 = bottom
    with torch.no_grad():
        logw = f(xx, yy).to(torch.float64)
    if logw.shape != xx.shape:
        logw = logw.expand_as(xx)
    if torch.isposinf(logw).any():
        i, j = [int(v) for v in torch.nonzero(torch.isposinf(logw))[0]]
        raise _err(N_("{expression} is +inf at x={x}, y={y}; a log-density must be finite"), expression=repr(expression),
                   x=f"{float(xs[j]):.4g}", y=f"{float(ys[i]):.4g}")
    logw = torch.where(torch.isnan(logw), torch.full_like(logw, -math.inf), logw)
    if not torch.isfinite(logw).any():
        raise _err(N_("{expression} is -inf or NaN everywhere in the box {box}; nothing to sample"),
                   expression=repr(expression), box=box)
    w = torch.exp(logw - logw.max())
    name = f"expr:{expression.strip()}"
    return GridDensity(
        w, box, blur=min(hx, hy), name=name, params={"expression": expression.strip(), "box": box, "resolution": res},
        source={"type": "expression", "expression": expression.strip(), "box": list(box), "resolution": res},
    )
