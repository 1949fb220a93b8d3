<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR">
  <context>
    <name>scoreviz</name>
    <message>
      <location filename="../../scoreviz/gui/controls/density.py" line="104" />
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="60" />
      <source>Density</source>
      <translation>밀도</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/density.py" line="104" />
      <source>The target density p the model learns from (training samples come from it).</source>
      <translation>모델이 학습하는 목표 밀도 p (학습 표본을 여기서 뽑습니다).</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/density.py" line="110" />
      <source>The density training uses now</source>
      <translation>지금 학습에 쓰이는 밀도</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/density.py" line="111" />
      <source>Target:</source>
      <translation>목표:</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/density.py" line="117" />
      <source>Preset</source>
      <translation>프리셋</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/density.py" line="119" />
      <source>Draw</source>
      <translation>그리기</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/density.py" line="120" />
      <source>Image</source>
      <translation>이미지</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/density.py" line="122" />
      <source>Expression</source>
      <translation>수식</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/density.py" line="84" />
      <source>Images ({patterns})</source>
      <translation>이미지 ({patterns})</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/density.py" line="240" />
      <source>type an expression in x and y first</source>
      <translation>먼저 x와 y에 대한 식을 입력하세요</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/density.py" line="214" />
      <source>density file {name}</source>
      <translation>밀도 파일 {name}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/density.py" line="214" />
      <source>image {name}</source>
      <translation>이미지 {name}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/density.py" line="244" />
      <source>expression</source>
      <translation>수식</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/density.py" line="182" />
      <source>preset {name}</source>
      <translation>프리셋 {name}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/density_tabs.py" line="55" />
      <source>A built-in 2-D density (its parameters appear below)</source>
      <translation>내장 2차원 밀도 (매개변수는 아래에 표시됩니다)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/density_tabs.py" line="56" />
      <source>Preset:</source>
      <translation>프리셋:</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/density_tabs.py" line="78" />
      <source>What a left-drag does (a right-drag always erases)</source>
      <translation>왼쪽 드래그의 동작 (오른쪽 드래그는 항상 지우기)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/density_tabs.py" line="79" />
      <source>Left button:</source>
      <translation>왼쪽 버튼:</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/density_tabs.py" line="84" />
      <source>Radius:</source>
      <translation>반지름:</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/density_tabs.py" line="89" />
      <source>Strength:</source>
      <translation>세기:</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/density_tabs.py" line="91" />
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="245" />
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="53" />
      <source>Undo stroke</source>
      <translation>획 되돌리기</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/density_tabs.py" line="92" />
      <source>Take back the last stroke (Ctrl+Z)</source>
      <translation>마지막 획 되돌리기 (Ctrl+Z)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/density_tabs.py" line="93" />
      <source>Clear</source>
      <translation>지우기</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/density_tabs.py" line="94" />
      <source>Remove everything painted (the target stays until you paint again)</source>
      <translation>칠한 것을 모두 지웁니다 (다시 칠할 때까지 목표 밀도는 그대로)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/density_tabs.py" line="98" />
      <location filename="../../scoreviz/gui/windows/window_base.py" line="270" />
      <source>Canvas empty</source>
      <translation>캔버스 비어 있음</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/density_tabs.py" line="109" />
      <source>Open image…</source>
      <translation>이미지 열기…</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/density_tabs.py" line="110" />
      <source>A PNG/JPEG picture becomes the density: dark pixels are dense. Ctrl+O also opens sessions and .json density files; you can drop an image file onto the window too.</source>
      <translation>PNG/JPEG 그림이 밀도가 됩니다: 어두운 픽셀일수록 밀도가 높습니다. Ctrl+O로 세션과 .json 밀도 파일도 열 수 있으며, 이미지 파일을 창에 끌어다 놓아도 됩니다.</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/density_tabs.py" line="115" />
      <source>No image loaded</source>
      <translation>불러온 이미지 없음</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/density_tabs.py" line="130" />
      <source>log p(x, y) up to a constant</source>
      <translation>상수 차이를 무시한 log p(x, y)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/density_tabs.py" line="131" />
      <source>Operators + - * / **, functions such as exp, log, sin, cos, abs, sqrt; names x, y, pi, e. Press Enter to use it.</source>
      <translation>연산자 + - * / **, 함수 exp, log, sin, cos, abs, sqrt 등; 이름 x, y, pi, e. Enter를 누르면 적용됩니다.</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/density_tabs.py" line="139" />
      <source>Use</source>
      <translation>적용</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/density_tabs.py" line="140" />
      <source>Discretise the expression on its box and train on it (Enter)</source>
      <translation>식을 영역 위에서 이산화하고 그것으로 학습 (Enter)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/density_tabs.py" line="144" />
      <source>Examples…</source>
      <translation>예시…</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/density_tabs.py" line="146" />
      <source>Fill in an example expression</source>
      <translation>예시 수식 채우기</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/density_tabs.py" line="74" />
      <source>Paint on the particles panel: left-drag paints, right-drag (or Shift) erases. Wheel zooms; middle-drag pans.</source>
      <translation>입자 패널에 칠하세요: 왼쪽 드래그로 칠하고, 오른쪽 드래그(또는 Shift)로 지웁니다. 휠로 확대/축소, 가운데 드래그로 이동합니다.</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/density_tabs.py" line="77" />
      <source>Paint</source>
      <translation>칠하기</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/density_tabs.py" line="77" />
      <source>Erase</source>
      <translation>지우개</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/density_tabs.py" line="82" />
      <source>Brush radius in data units: each dab adds a Gaussian of std radius/2 ([ and ] change it)</source>
      <translation>데이터 단위의 브러시 반지름: 한 번 찍을 때마다 표준편차 반지름/2의 가우시안을 더합니다 ([ 와 ]로 조절)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/density_tabs.py" line="87" />
      <source>Weight a dab adds (paint). The eraser always removes the paint under it in one pass; this is the most it thins the paint just outside its edge</source>
      <translation>한 번 찍을 때 더하는 가중치 (칠하기). 지우개는 아래의 칠을 항상 한 번에 지웁니다; 이 값은 지우개 가장자리 바로 바깥의 칠을 최대로 옅게 하는 정도입니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/density_tabs.py" line="128" />
      <source>An unnormalised log-density in x and y, e.g. -(x**2 + y**2 - 4)**2 / 0.5</source>
      <translation>x와 y에 대한 정규화되지 않은 로그 밀도, 예: -(x**2 + y**2 - 4)**2 / 0.5</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/display.py" line="30" />
      <source>linear</source>
      <translation>선형</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/display.py" line="30" />
      <source>log</source>
      <translation>로그</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/display.py" line="30" />
      <source>direction only</source>
      <translation>방향만</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/display.py" line="34" />
      <source>Display</source>
      <translation>표시</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/display.py" line="34" />
      <source>How the fields are drawn (never changes training).</source>
      <translation>필드를 그리는 방식 (학습은 바뀌지 않습니다).</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/display.py" line="39" />
      <source>Arrow length and colour against the field's scale where the density lives (the 95 % density-weighted quantile of |s| in view): linear, log10 over three decades, or equal lengths with colour only (U)</source>
      <translation>밀도가 있는 곳의 필드 척도(보이는 영역에서 밀도 가중 |s|의 95 % 분위수)에 대한 화살표 길이와 색상: 선형, 세 자릿수에 걸친 log10, 또는 같은 길이에 색상만 (U)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/display.py" line="42" />
      <location filename="../../scoreviz/gui/controls/sampler.py" line="60" />
      <source>auto</source>
      <translation>자동</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/display.py" line="44" />
      <source>One arrow about every 20 device pixels, recomputed when the panels change size</source>
      <translation>장치 픽셀 약 20개마다 화살표 하나, 패널 크기가 바뀌면 다시 계산</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/display.py" line="54" />
      <source>Unit-length arrows (direction only)</source>
      <translation>단위 길이 화살표 (방향만)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/display.py" line="55" />
      <source>Draw every arrow the same length; colour still shows the magnitude (U)</source>
      <translation>모든 화살표를 같은 길이로 그립니다; 크기는 여전히 색상으로 표시 (U)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/display.py" line="56" />
      <source>Error panel log₁₀‖s_θ − ∇log q‖</source>
      <translation>오차 패널 log₁₀‖s_θ − ∇log q‖</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/display.py" line="57" />
      <source>A fourth panel: where the learned score is wrong, on a log colour scale (E)</source>
      <translation>네 번째 패널: 학습된 스코어가 틀린 곳을 로그 색상 척도로 표시 (E)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/display.py" line="58" />
      <source>Smooth arrows</source>
      <translation>부드러운 화살표</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/display.py" line="60" />
      <source>Antialiased arrows (slightly slower to draw)</source>
      <translation>안티앨리어싱된 화살표 (그리기가 약간 느려짐)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/display.py" line="61" />
      <source>Particle trails</source>
      <translation>입자 궤적</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/display.py" line="63" />
      <source>The recent paths of some particles, fading with age: how the sampler moves them</source>
      <translation>일부 입자의 최근 경로, 오래될수록 흐려짐: 샘플러가 입자를 움직이는 모습</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/display.py" line="64" />
      <source>Arrows:</source>
      <translation>화살표:</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/display.py" line="65" />
      <source>Arrow grid:</source>
      <translation>화살표 격자:</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/display.py" line="46" />
      <source>Arrows per axis on the field panels; editing it turns auto off</source>
      <translation>필드 패널의 축당 화살표 수; 직접 바꾸면 자동이 꺼집니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/model.py" line="25" />
      <source>Model and optimiser</source>
      <translation>모델과 옵티마이저</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/model.py" line="25" />
      <source>The score network s_θ and its Adam optimiser.</source>
      <translation>스코어 네트워크 s_θ와 Adam 옵티마이저.</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/model.py" line="36" />
      <source>Nonlinearity. ReLU cannot be used with ism/ssm/ssm-vr (its Jacobian trace is 0).</source>
      <translation>비선형 함수. ReLU는 ism/ssm/ssm-vr와 함께 쓸 수 없습니다 (야코비안 대각합이 0).</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/model.py" line="41" />
      <source>vector: the network outputs the score directly</source>
      <translation>vector: 네트워크가 스코어를 직접 출력</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/model.py" line="43" />
      <source>energy: the network outputs E(x) and s = −∇E (a conservative field)</source>
      <translation>energy: 네트워크가 E(x)를 출력하고 s = −∇E (보존장)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/model.py" line="45" />
      <source>vector: s_θ = net(x); energy: s_θ = −∇ₓE_θ(x), a conservative field</source>
      <translation>vector: s_θ = net(x); energy: s_θ = −∇ₓE_θ(x), 보존장</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/model.py" line="46" />
      <source>Width:</source>
      <translation>너비:</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/model.py" line="47" />
      <source>Depth:</source>
      <translation>깊이:</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/model.py" line="48" />
      <source>Activation:</source>
      <translation>활성화 함수:</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/model.py" line="49" />
      <source>Parametrisation:</source>
      <translation>매개변수화:</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/model.py" line="54" />
      <source>Learning rate:</source>
      <translation>학습률:</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/model.py" line="55" />
      <source>Batch:</source>
      <translation>배치:</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/model.py" line="29" />
      <source>Width: units in every hidden layer. Changing the architecture starts a fresh model.</source>
      <translation>너비: 각 은닉층의 유닛 수. 구조를 바꾸면 새 모델로 시작합니다.</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/model.py" line="32" />
      <source>Depth: number of hidden layers. Changing the architecture starts a fresh model.</source>
      <translation>깊이: 은닉층의 수. 구조를 바꾸면 새 모델로 시작합니다.</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/model.py" line="51" />
      <source>Adam learning rate (training continues when it changes)</source>
      <translation>Adam 학습률 (바꿔도 학습이 이어집니다)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/model.py" line="53" />
      <source>Samples of p per training step (arrows double / halve it)</source>
      <translation>학습 스텝당 p의 표본 수 (화살표로 두 배 / 절반)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/objective.py" line="27" />
      <source>Objective</source>
      <translation>목적 함수</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/objective.py" line="27" />
      <source>The score-matching loss the model minimises.</source>
      <translation>모델이 최소화하는 스코어 매칭 손실.</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/objective.py" line="35" />
      <source>Objective: esm (explicit), ism (implicit), ssm / ssm-vr (sliced), dsm (denoising), ncsn (multi-level denoising; noise-conditional model), sde (continuous time: a time-conditional model, a time axis under the panels)</source>
      <translation>목적 함수: esm (명시적), ism (암묵적), ssm / ssm-vr (슬라이스), dsm (디노이징), ncsn (다중 수준 디노이징; 노이즈 조건부 모델), sde (연속 시간: 시간 조건부 모델, 패널 아래에 시간 축)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/objective.py" line="38" />
      <source>Objective:</source>
      <translation>목적 함수:</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/objective.py" line="60" />
      <source>Distribution of the projections v (all with E[vvᵀ] = I)</source>
      <translation>사영 v의 분포 (모두 E[vvᵀ] = I)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/objective.py" line="66" />
      <source>sde: the forward process from data (t = ε) to the prior (t = 1): ve (σ_min, σ_max; σ_max should be as wide as the data), vp or subvp (β_min, β_max)</source>
      <translation>sde: 데이터(t = ε)에서 사전 분포(t = 1)로 가는 순방향 과정: ve (σ_min, σ_max; σ_max는 데이터만큼 넓어야 함), vp 또는 subvp (β_min, β_max)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/objective.py" line="76" />
      <source>sde: λ(t) = std(t)² (sigma2, the usual choice) or g(t)² (likelihood: the loss bounds the negative log-likelihood)</source>
      <translation>sde: λ(t) = std(t)² (sigma2, 일반적인 선택) 또는 g(t)² (likelihood: 손실이 음의 로그 가능도의 상한이 됨)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/objective.py" line="45" />
      <location filename="../../scoreviz/gui/windows/config_picker.py" line="73" />
      <source>dsm noise level σ: the model learns the score of p_σ = p ∗ N(0, σ²I)</source>
      <translation>dsm 노이즈 수준 σ: 모델은 p_σ = p ∗ N(0, σ²I)의 스코어를 학습합니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/objective.py" line="48" />
      <location filename="../../scoreviz/gui/windows/config_picker.py" line="81" />
      <source>ncsn: largest noise level σ_max (&gt; σ_min)</source>
      <translation>ncsn: 가장 큰 노이즈 수준 σ_max (&gt; σ_min)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/objective.py" line="50" />
      <location filename="../../scoreviz/gui/windows/config_picker.py" line="83" />
      <source>ncsn: smallest noise level σ_min (the field is shown at σ_min)</source>
      <translation>ncsn: 가장 작은 노이즈 수준 σ_min (벡터장은 σ_min에서 표시됩니다)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/objective.py" line="53" />
      <source>ncsn: number of geometric noise levels from σ_max to σ_min</source>
      <translation>ncsn: σ_max에서 σ_min까지 기하급수적 노이즈 수준의 개수</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/objective.py" line="56" />
      <source>ssm / ssm-vr: random projections v per sample (more = less variance, slower)</source>
      <translation>ssm / ssm-vr: 표본당 무작위 사영 v의 수 (많을수록 분산은 작고 느림)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/objective.py" line="69" />
      <source>vp / subvp: β(0), the noise rate at the data end</source>
      <translation>vp / subvp: β(0), 데이터 쪽 끝의 노이즈 비율</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/objective.py" line="71" />
      <source>vp / subvp: β(1), the noise rate at the prior end (≥ β_min)</source>
      <translation>vp / subvp: β(1), 사전 분포 쪽 끝의 노이즈 비율 (≥ β_min)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/objective.py" line="78" />
      <source>σ:</source>
      <translation>σ:</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/objective.py" line="78" />
      <source>Process:</source>
      <translation>과정:</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/objective.py" line="79" />
      <location filename="../../scoreviz/gui/controls/sampler.py" line="101" />
      <source>σ max:</source>
      <translation>σ 최대:</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/objective.py" line="80" />
      <location filename="../../scoreviz/gui/controls/sampler.py" line="102" />
      <source>σ min:</source>
      <translation>σ 최소:</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/objective.py" line="80" />
      <location filename="../../scoreviz/gui/controls/sampler.py" line="103" />
      <source>Levels:</source>
      <translation>수준 수:</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/objective.py" line="81" />
      <source>β min:</source>
      <translation>β 최소:</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/objective.py" line="81" />
      <source>β max:</source>
      <translation>β 최대:</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/objective.py" line="82" />
      <source>Weighting:</source>
      <translation>가중치:</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/objective.py" line="83" />
      <source>Projections:</source>
      <translation>사영 수:</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/objective.py" line="84" />
      <source>Projection:</source>
      <translation>사영:</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/objective.py" line="100" />
      <source>{description}&lt;br&gt;&lt;i&gt;{formula}&lt;/i&gt;</source>
      <translation>{description}&lt;br&gt;&lt;i&gt;{formula}&lt;/i&gt;</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/objective.py" line="32" />
      <location filename="../../scoreviz/gui/windows/config_picker.py" line="59" />
      <source>{description}
loss: {formula}</source>
      <translation>{description}
손실: {formula}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/sampler.py" line="35" />
      <source>Sampler</source>
      <translation>샘플러</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/sampler.py" line="35" />
      <source>How the particles move (Langevin dynamics driven by a score).</source>
      <translation>입자가 움직이는 방식 (스코어로 구동되는 랑주뱅 동역학).</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/sampler.py" line="40" />
      <source>Annealed Langevin: σ from σ_max to σ_min, step ε·σ²/σ_min², then stays at σ_min</source>
      <translation>어닐링 랑주뱅: σ를 σ_max에서 σ_min까지 줄이며 스텝 ε·σ²/σ_min², 이후 σ_min에 머무름</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/sampler.py" line="47" />
      <source>Langevin, annealed Langevin (Song &amp; Ermon), or with objective sde: generation from the prior by the reverse SDE, the probability-flow ODE or predictor–corrector, or the forward noising at the time shown</source>
      <translation>랑주뱅, 어닐링 랑주뱅 (Song &amp; Ermon), 또는 목적 함수 sde에서: 역방향 SDE, 확률 흐름 ODE, 예측자–수정자로 사전 분포에서 생성하거나, 표시된 시각의 순방향 노이즈 주입</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/sampler.py" line="53" />
      <source>Drive the particles with the learned score s_θ or with the true score (the reference)</source>
      <translation>학습된 스코어 s_θ 또는 참 스코어(기준)로 입자를 움직입니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/sampler.py" line="61" />
      <source>Step size from the sampler and its σ schedule: Langevin ε = 0.01; annealed ε = 0.1·σ_min², so every level's step is 0.1·σᵢ² (finite on every preset)</source>
      <translation>샘플러와 σ 스케줄로 정한 스텝 크기: 랑주뱅 ε = 0.01; 어닐링 ε = 0.1·σ_min², 따라서 각 수준의 스텝은 0.1·σᵢ² (모든 프리셋에서 유한)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/sampler.py" line="81" />
      <source>pf-ode: Euler (one score per step) or Heun (two per step, second order)</source>
      <translation>pf-ode: Euler (스텝당 스코어 1회) 또는 Heun (스텝당 2회, 2차 정확도)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/sampler.py" line="88" />
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="38" />
      <source>Reset particles</source>
      <translation>입자 초기화</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/sampler.py" line="89" />
      <source>Scatter the particles uniformly over the density's box again (P)</source>
      <translation>입자를 밀도 영역 위에 다시 균일하게 흩뿌립니다 (P)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/sampler.py" line="90" />
      <source>Sampler:</source>
      <translation>샘플러:</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/sampler.py" line="91" />
      <source>Score:</source>
      <translation>스코어:</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/sampler.py" line="97" />
      <source>Step size ε:</source>
      <translation>스텝 크기 ε:</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/sampler.py" line="98" />
      <source>Particles:</source>
      <translation>입자:</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/sampler.py" line="99" />
      <source>Steps/frame:</source>
      <translation>스텝/프레임:</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/sampler.py" line="104" />
      <source>Steps/level:</source>
      <translation>스텝/수준:</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/sampler.py" line="105" />
      <source>Diffusion steps:</source>
      <translation>확산 스텝:</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/sampler.py" line="106" />
      <source>Solver:</source>
      <translation>솔버:</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/sampler.py" line="107" />
      <source>SNR r:</source>
      <translation>SNR r:</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/sampler.py" line="108" />
      <source>Corrector steps:</source>
      <translation>수정자 스텝:</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/sampler.py" line="58" />
      <source>Langevin step size ε (annealed: at σ_min); typing a value turns auto off</source>
      <translation>랑주뱅 스텝 크기 ε (어닐링: σ_min에서); 값을 입력하면 자동이 꺼집니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/sampler.py" line="64" />
      <source>Number of particles (changing it restarts them)</source>
      <translation>입자 수 (바꾸면 입자를 다시 시작합니다)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/sampler.py" line="66" />
      <source>Sampler steps per displayed frame</source>
      <translation>표시되는 프레임당 샘플러 스텝 수</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/sampler.py" line="68" />
      <source>Annealed: first (largest) noise level (&gt; σ min)</source>
      <translation>어닐링: 첫 (가장 큰) 노이즈 수준 (&gt; σ 최소)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/sampler.py" line="70" />
      <source>Annealed: last (smallest) noise level</source>
      <translation>어닐링: 마지막 (가장 작은) 노이즈 수준</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/sampler.py" line="72" />
      <source>Annealed: number of noise levels</source>
      <translation>어닐링: 노이즈 수준의 개수</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/sampler.py" line="74" />
      <source>Annealed: steps at each level</source>
      <translation>어닐링: 수준마다의 스텝 수</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/sampler.py" line="76" />
      <source>Generation: steps from the prior at t = 1 to the data at t = ε (Steps/frame of them per frame)</source>
      <translation>생성: t = 1의 사전 분포에서 t = ε의 데이터까지의 스텝 수 (프레임마다 스텝/프레임만큼 진행)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/sampler.py" line="83" />
      <source>pc: the corrector's signal-to-noise ratio r (its step is 2(r‖z‖/‖s‖)²·a)</source>
      <translation>pc: 수정자의 신호 대 잡음비 r (스텝은 2(r‖z‖/‖s‖)²·a)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/sampler.py" line="86" />
      <source>pc: Langevin corrector steps after each predictor step</source>
      <translation>pc: 각 예측자 스텝 뒤의 랑주뱅 수정자 스텝 수</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/sampler.py" line="228" />
      <source>{reason}; switched to Langevin</source>
      <translation>{reason}; 랑주뱅으로 전환했습니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/sampler.py" line="155" />
      <location filename="../../scoreviz/gui/controls/sampler.py" line="162" />
      <source>Not available: {reason}</source>
      <translation>사용할 수 없음: {reason}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/section.py" line="22" />
      <source>max</source>
      <translation>최대</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/section.py" line="22" />
      <source>500 steps/s</source>
      <translation>초당 500스텝</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/section.py" line="22" />
      <source>200 steps/s</source>
      <translation>초당 200스텝</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/section.py" line="22" />
      <source>100 steps/s</source>
      <translation>초당 100스텝</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/section.py" line="23" />
      <source>50 steps/s</source>
      <translation>초당 50스텝</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/section.py" line="23" />
      <source>20 steps/s</source>
      <translation>초당 20스텝</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/section.py" line="23" />
      <source>10 steps/s</source>
      <translation>초당 10스텝</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/section.py" line="23" />
      <source>5 steps/s</source>
      <translation>초당 5스텝</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/section.py" line="24" />
      <source>2 steps/s</source>
      <translation>초당 2스텝</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/section.py" line="24" />
      <source>1 step/s</source>
      <translation>초당 1스텝</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/system.py" line="35" />
      <source>Device and seed</source>
      <translation>장치와 시드</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/system.py" line="35" />
      <source>Where training runs and its random seed (both start a fresh model).</source>
      <translation>학습이 실행되는 장치와 난수 시드 (둘 다 바꾸면 새 모델로 시작합니다).</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/system.py" line="39" />
      <source>CUDA if present, else the CPU</source>
      <translation>CUDA가 있으면 CUDA, 없으면 CPU</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/system.py" line="42" />
      <source>Training device (only devices this machine has are listed); changing it starts a fresh model</source>
      <translation>학습 장치 (이 컴퓨터에 있는 장치만 표시); 바꾸면 새 모델로 시작합니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/system.py" line="47" />
      <source>Device:</source>
      <translation>장치:</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/system.py" line="48" />
      <location filename="../../scoreviz/gui/windows/compare_sections.py" line="80" />
      <source>Seed:</source>
      <translation>시드:</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/system.py" line="45" />
      <source>Random seed of the model's initialisation, the batches and the particles; changing it starts a fresh model</source>
      <translation>모델 초기화, 배치, 입자의 난수 시드; 바꾸면 새 모델로 시작합니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/widgets.py" line="192" />
      <source>{tip} (allowed {range})</source>
      <translation>{tip} (허용 범위 {range})</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/controls/widgets.py" line="212" />
      <source>{help} ({range}; default {default})</source>
      <translation>{help} ({range}; 기본값 {default})</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/checks.py" line="20" />
      <source>cannot write '{path}': folder '{folder}' does not exist</source>
      <translation>'{path}'에 쓸 수 없습니다: 폴더 '{folder}'이(가) 없습니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/checks.py" line="23" />
      <source>cannot write '{path}': it is a folder</source>
      <translation>'{path}'에 쓸 수 없습니다: 폴더입니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/checks.py" line="25" />
      <source>cannot write '{path}': folder '{folder}' is not writable</source>
      <translation>'{path}'에 쓸 수 없습니다: 폴더 '{folder}'에 쓰기 권한이 없습니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/checks.py" line="32" />
      <source>cannot write into '{folder}': it is not an existing folder</source>
      <translation>'{folder}'에 쓸 수 없습니다: 존재하는 폴더가 아닙니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/checks.py" line="34" />
      <source>cannot write into '{folder}': the folder is not writable</source>
      <translation>'{folder}'에 쓸 수 없습니다: 폴더에 쓰기 권한이 없습니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/exports.py" line="41" />
      <source>NumPy arrays (*.npz)</source>
      <translation>NumPy 배열 (*.npz)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/exports.py" line="41" />
      <source>CSV table (*.csv)</source>
      <translation>CSV 표 (*.csv)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/exports.py" line="42" />
      <source>PNG picture (*.png)</source>
      <translation>PNG 그림 (*.png)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/exports.py" line="42" />
      <source>SVG vector drawing (*.svg)</source>
      <translation>SVG 벡터 그림 (*.svg)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/exports.py" line="113" />
      <source>the fields</source>
      <translation>필드</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/exports.py" line="147" />
      <source>the figure</source>
      <translation>그림</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/exports.py" line="52" />
      <source>Fields as NPZ…</source>
      <translation>필드를 NPZ로…</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/exports.py" line="53" />
      <source>Save the learned and true fields and log p on the arrow grid over the view as .npz (the field.npz layout of scoreviz train)</source>
      <translation>보이는 영역의 화살표 격자에서 학습된 필드, 실제 필드와 log p를 .npz로 저장 (scoreviz train의 field.npz 형식)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/exports.py" line="55" />
      <source>Fields as CSV…</source>
      <translation>필드를 CSV로…</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/exports.py" line="56" />
      <source>Save the fields on the arrow grid over the view as .csv: one row per grid point (x, y, learned_u, learned_v, true_u, true_v, log_density)</source>
      <translation>보이는 영역의 화살표 격자에서 필드를 .csv로 저장: 격자점마다 한 행 (x, y, learned_u, learned_v, true_u, true_v, log_density)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/exports.py" line="58" />
      <source>Figure…</source>
      <translation>그림…</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/exports.py" line="59" />
      <source>Save the view (all panels, or one) as PNG at a chosen size or as SVG</source>
      <translation>화면(모든 패널 또는 하나)을 원하는 크기의 PNG 또는 SVG로 저장</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/exports.py" line="60" />
      <source>Model (state dict + config)…</source>
      <translation>모델 (state dict + 설정)…</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/exports.py" line="61" />
      <source>Save the trained network as model.pt + model.json in a folder, as scoreviz train does (scoreviz sample --score FOLDER loads it)</source>
      <translation>학습된 네트워크를 scoreviz train처럼 폴더에 model.pt + model.json으로 저장 (scoreviz sample --score FOLDER로 불러옴)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/exports.py" line="63" />
      <source>Model as torch.export program (.pt2)…</source>
      <translation>모델을 torch.export 프로그램으로 (.pt2)…</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/exports.py" line="64" />
      <source>Save the network as a portable torch.export program: torch.export.load(path).module()(x, sigma)</source>
      <translation>네트워크를 이식 가능한 torch.export 프로그램으로 저장: torch.export.load(path).module()(x, sigma)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/exports.py" line="66" />
      <source>Model as ONNX…</source>
      <translation>모델을 ONNX로…</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/exports.py" line="67" />
      <source>Save the network as an ONNX model (inputs x, sigma; output score)</source>
      <translation>네트워크를 ONNX 모델로 저장 (입력 x, sigma; 출력 스코어)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/exports.py" line="71" />
      <source>&amp;Export</source>
      <translation>내보내기(&amp;E)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/exports.py" line="73" />
      <source>Save the fields, a figure or the trained model</source>
      <translation>필드, 그림 또는 학습된 모델 저장</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/exports.py" line="80" />
      <source>Export</source>
      <translation>내보내기</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/exports.py" line="85" />
      <source>Export a figure (Ctrl+E), the fields or the trained model</source>
      <translation>그림(Ctrl+E), 필드 또는 학습된 모델 내보내기</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/exports.py" line="191" />
      <source>Export the figure</source>
      <translation>그림 내보내기</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/exports.py" line="213" />
      <source>the torch.export program</source>
      <translation>torch.export 프로그램</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/exports.py" line="220" />
      <location filename="../../scoreviz/gui/export/exports.py" line="219" />
      <source>the ONNX model</source>
      <translation>ONNX 모델</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/exports.py" line="244" />
      <source>Folder for model.pt and model.json</source>
      <translation>model.pt와 model.json을 저장할 폴더</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/exports.py" line="263" />
      <source>Export the model as a torch.export program</source>
      <translation>모델을 torch.export 프로그램으로 내보내기</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/exports.py" line="264" />
      <source>torch.export program (*.pt2)</source>
      <translation>torch.export 프로그램 (*.pt2)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/exports.py" line="269" />
      <source>Export the model as ONNX</source>
      <translation>모델을 ONNX로 내보내기</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/exports.py" line="269" />
      <source>ONNX model (*.onnx)</source>
      <translation>ONNX 모델 (*.onnx)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/exports.py" line="209" />
      <location filename="../../scoreviz/gui/export/exports.py" line="204" />
      <source>the model</source>
      <translation>모델</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/exports.py" line="256" />
      <source>Replace the model?</source>
      <translation>모델을 바꿀까요?</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/exports.py" line="103" />
      <source>ONNX export needs the optional packages: {hint}</source>
      <translation>ONNX 내보내기에는 선택 패키지가 필요합니다: {hint}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/exports.py" line="135" />
      <source>Export the fields as {fmt}</source>
      <translation>필드를 {fmt}로 내보내기</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/exports.py" line="149" />
      <location filename="../../scoreviz/gui/export/jobs.py" line="161" />
      <location filename="../../scoreviz/gui/export/jobs.py" line="186" />
      <source>another export is still running</source>
      <translation>다른 내보내기가 아직 진행 중입니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/exports.py" line="162" />
      <location filename="../../scoreviz/gui/offscreen/figure_export.py" line="353" />
      <source>not enough memory for a {w} x {h} picture</source>
      <translation>{w} x {h} 그림을 만들 메모리가 부족합니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/exports.py" line="218" />
      <source>ONNX export needs: {hint}</source>
      <translation>ONNX 내보내기에 필요: {hint}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/exports.py" line="253" />
      <source>model.pt and model.json already exist in {folder}. Replace them?</source>
      <translation>{folder}에 model.pt와 model.json이 이미 있습니다. 바꿀까요?</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/exports.py" line="255" />
      <source>{file} already exist in {folder}. Replace them?</source>
      <translation>{folder}에 {file}이(가) 이미 있습니다. 바꿀까요?</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/exports.py" line="116" />
      <source>format '{fmt}' is not known; choose npz or csv</source>
      <translation>알 수 없는 형식 '{fmt}'입니다. npz 또는 csv를 고르세요</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/figure_dialog.py" line="22" />
      <source>Export figure</source>
      <translation>그림 내보내기</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/figure_dialog.py" line="29" />
      <source>What the picture shows: every panel with the training curves, one panel with its colour bar, or the curves</source>
      <translation>그림에 담을 내용: 학습 곡선을 포함한 모든 패널, 색상 막대가 붙은 패널 하나, 또는 곡선</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/figure_dialog.py" line="36" />
      <source>PNG (pixels, at the size below)</source>
      <translation>PNG (픽셀, 아래 크기로)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/figure_dialog.py" line="37" />
      <source>SVG (vector: arrows, axes and text stay sharp)</source>
      <translation>SVG (벡터: 화살표, 축, 글자가 선명하게 유지됨)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/figure_dialog.py" line="38" />
      <source>PNG: a picture of exactly the size below. SVG: a vector drawing of that size that stays sharp when scaled; heat maps and particles are embedded pictures</source>
      <translation>PNG: 정확히 아래 크기의 그림. SVG: 그 크기의 벡터 그림으로 확대해도 선명함. 히트맵과 입자는 포함된 이미지로 들어감</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/figure_dialog.py" line="41" />
      <source>Picture width in pixels, {lo}–{hi}; the default is twice the size on screen</source>
      <translation>그림 너비(픽셀), {lo}–{hi}. 기본값은 화면 크기의 두 배</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/figure_dialog.py" line="42" />
      <source>Picture height in pixels, {lo}–{hi}; the default is twice the size on screen</source>
      <translation>그림 높이(픽셀), {lo}–{hi}. 기본값은 화면 크기의 두 배</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/figure_dialog.py" line="49" />
      <source>Keep the proportions on screen</source>
      <translation>화면의 비율 유지</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/figure_dialog.py" line="51" />
      <source>Changing the width changes the height to match, and back</source>
      <translation>너비를 바꾸면 높이가 맞춰 바뀌고, 그 반대도 마찬가지</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/figure_dialog.py" line="57" />
      <source>Show:</source>
      <translation>표시:</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/figure_dialog.py" line="58" />
      <location filename="../../scoreviz/gui/recording/export_dialog.py" line="41" />
      <source>Format:</source>
      <translation>형식:</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/figure_dialog.py" line="59" />
      <source>Size:</source>
      <translation>크기:</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/figure_dialog.py" line="64" />
      <source>Save…</source>
      <translation>저장…</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/figure_dialog.py" line="65" />
      <source>Choose the file and save the figure</source>
      <translation>파일을 골라 그림 저장</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/figure_dialog.py" line="66" />
      <source>Close without saving</source>
      <translation>저장하지 않고 닫기</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/figure_dialog.py" line="34" />
      <source>Show the error panel first (E)</source>
      <translation>먼저 오차 패널을 표시하세요 (E)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/jobs.py" line="83" />
      <source>An export is running</source>
      <translation>내보내기 진행 중</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/jobs.py" line="85" />
      <location filename="../../scoreviz/gui/recording/exporting.py" line="95" />
      <location filename="../../scoreviz/gui/windows/lesson_player.py" line="88" />
      <source>Cancel</source>
      <translation>취소</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/jobs.py" line="86" />
      <source>Stop the export: nothing is written</source>
      <translation>내보내기 중지: 아무것도 쓰지 않음</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/jobs.py" line="133" />
      <location filename="../../scoreviz/gui/export/jobs.py" line="127" />
      <source>could not export {what}: {reason}</source>
      <translation>{what} 내보내기 실패: {reason}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/jobs.py" line="106" />
      <source>Exporting {what}…</source>
      <translation>{what} 내보내는 중…</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/jobs.py" line="120" />
      <source>saved {path} ({size})</source>
      <translation>저장함: {path} ({size})</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/jobs.py" line="125" />
      <source>export of {what} cancelled: nothing written</source>
      <translation>{what} 내보내기 취소됨: 아무것도 쓰지 않았습니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/export/jobs.py" line="168" />
      <source>there is no model yet: choose a density that loads</source>
      <translation>아직 모델이 없습니다: 불러올 수 있는 밀도를 고르세요</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/items/field_scale.py" line="25" />
      <source>length and colour grow linearly with |s|</source>
      <translation>길이와 색이 |s|에 선형으로 비례합니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/items/field_scale.py" line="26" />
      <source>length and colour follow log10 |s| over three decades</source>
      <translation>길이와 색이 세 자릿수 범위에서 log10 |s|를 따릅니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/items/field_scale.py" line="27" />
      <source>equal lengths (direction only); colour shows |s|</source>
      <translation>모두 같은 길이(방향만); 색이 |s|를 나타냅니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/items/field_scale.py" line="85" />
      <source>|s| (linear)</source>
      <translation>|s| (선형)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/items/field_scale.py" line="82" />
      <source>log₁₀|s| (log)</source>
      <translation>log₁₀|s| (로그)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/items/field_scale.py" line="84" />
      <source>|s| (direction only)</source>
      <translation>|s| (방향만)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/offscreen/compare_render.py" line="56" />
      <source>&lt;b&gt;{density}&lt;/b&gt; · step {step:,} · {configs}</source>
      <translation>&lt;b&gt;{density}&lt;/b&gt; · 스텝 {step:,} · {configs}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/offscreen/compare_render.py" line="55" />
      <source>rel. F {rel} · {rate:,.0f} steps/s</source>
      <translation>상대 F {rel} · {rate:,.0f} 스텝/초</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/offscreen/figure_export.py" line="38" />
      <source>All panels and the training curves</source>
      <translation>모든 패널과 학습 곡선</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/offscreen/figure_export.py" line="39" />
      <source>Learned score panel</source>
      <translation>학습된 스코어 패널</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/offscreen/figure_export.py" line="40" />
      <source>True score panel</source>
      <translation>실제 스코어 패널</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/offscreen/figure_export.py" line="41" />
      <source>Particles panel</source>
      <translation>입자 패널</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/offscreen/figure_export.py" line="42" />
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="46" />
      <source>Error panel</source>
      <translation>오차 패널</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/offscreen/figure_export.py" line="43" />
      <source>Training curves</source>
      <translation>학습 곡선</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/offscreen/figure_export.py" line="127" />
      <source>figure width {v} px is out of range; allowed {allowed} px</source>
      <translation>그림 너비 {v} px가 범위를 벗어났습니다. 허용 범위 {allowed} px</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/offscreen/figure_export.py" line="128" />
      <source>figure height {v} px is out of range; allowed {allowed} px</source>
      <translation>그림 높이 {v} px가 범위를 벗어났습니다. 허용 범위 {allowed} px</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/offscreen/figure_export.py" line="92" />
      <source>nothing to export yet: the panels have not been drawn</source>
      <translation>아직 내보낼 것이 없습니다: 패널이 그려지지 않았습니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/offscreen/figure_export.py" line="121" />
      <source>the error panel is hidden: show it first (E)</source>
      <translation>오차 패널이 숨겨져 있습니다: 먼저 표시하세요 (E)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/offscreen/figure_export.py" line="118" />
      <source>panel '{part}' is not known; choose one of {names}</source>
      <translation>알 수 없는 패널 '{part}'입니다. {names} 중에서 고르세요</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/offscreen/figure_export.py" line="124" />
      <source>format '{fmt}' is not known; choose png or svg</source>
      <translation>알 수 없는 형식 '{fmt}'입니다. png 또는 svg를 고르세요</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/offscreen/figure_export.py" line="381" />
      <source>scoreviz: {part}</source>
      <translation>scoreviz: {part}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/offscreen/figure_export.py" line="382" />
      <source>scoreviz {part} at step {step}</source>
      <translation>scoreviz {part}, 스텝 {step}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/offscreen/figure_export.py" line="400" />
      <source>could not encode a {w} x {h} picture as PNG</source>
      <translation>{w} x {h} 그림을 PNG로 인코딩하지 못했습니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/recording/encode_job.py" line="40" />
      <source>cancelled: '{path}' was not written</source>
      <translation>취소됨: '{path}'을(를) 쓰지 않았습니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/recording/export_dialog.py" line="29" />
      <location filename="../../scoreviz/gui/recording/export_dialog.py" line="116" />
      <location filename="../../scoreviz/gui/recording/exporting.py" line="97" />
      <source>Export animation</source>
      <translation>애니메이션 내보내기</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/recording/export_dialog.py" line="37" />
      <source>MP4 video (H.264)</source>
      <translation>MP4 동영상 (H.264)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/recording/export_dialog.py" line="38" />
      <source>GIF animation (256 colours, larger)</source>
      <translation>GIF 애니메이션 (256색, 더 큼)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/recording/export_dialog.py" line="39" />
      <source>MP4 plays everywhere and stays small; a GIF embeds in pages and slides but is larger, with one palette of 256 colours for all frames</source>
      <translation>MP4는 어디서나 재생되고 크기가 작습니다. GIF는 웹 페이지와 슬라이드에 넣기 좋지만 더 크고, 모든 프레임이 256색 팔레트 하나를 씁니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/recording/export_dialog.py" line="50" />
      <source>Frame rate:</source>
      <translation>프레임 속도:</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/recording/export_dialog.py" line="54" />
      <source>Where the animation is written (.mp4 or .gif)</source>
      <translation>애니메이션을 쓸 위치 (.mp4 또는 .gif)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/recording/export_dialog.py" line="56" />
      <source>Browse…</source>
      <translation>찾아보기…</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/recording/export_dialog.py" line="57" />
      <source>Choose the file</source>
      <translation>파일 고르기</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/recording/export_dialog.py" line="61" />
      <source>File:</source>
      <translation>파일:</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/recording/export_dialog.py" line="68" />
      <source>Save</source>
      <translation>저장</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/recording/export_dialog.py" line="69" />
      <source>Write the animation (a progress bar shows; it can be cancelled)</source>
      <translation>애니메이션 쓰기 (진행 막대가 표시되며 취소할 수 있음)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/recording/export_dialog.py" line="70" />
      <source>Discard</source>
      <translation>버리기</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/recording/export_dialog.py" line="71" />
      <source>Throw this recording away</source>
      <translation>이 녹화를 버림</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/recording/export_dialog.py" line="73" />
      <source>Keep the recording; File ▸ Export animation… saves it later</source>
      <translation>녹화를 보관합니다. 나중에 파일 ▸ 애니메이션 내보내기…로 저장</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/recording/export_dialog.py" line="114" />
      <source>MP4 video (*.mp4)</source>
      <translation>MP4 동영상 (*.mp4)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/recording/export_dialog.py" line="114" />
      <source>GIF animation (*.gif)</source>
      <translation>GIF 애니메이션 (*.gif)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/recording/export_dialog.py" line="48" />
      <source>Playback rate. Recorded at {fps} fps: that plays at the speed it happened; higher plays faster. A GIF allows at most 50.</source>
      <translation>재생 속도. {fps} fps로 녹화됨: 이 값이면 실제 속도로, 더 높으면 더 빠르게 재생됩니다. GIF는 최대 50.</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/recording/export_dialog.py" line="94" />
      <source>{n:,} frames · {w}×{h} · recorded at {fps} fps · plays {s:.1f} s</source>
      <translation>{n:,}프레임 · {w}×{h} · {fps} fps로 녹화 · 재생 {s:.1f}초</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/recording/exporting.py" line="34" />
      <source>an animation is being written already; wait for it or cancel it</source>
      <translation>이미 애니메이션을 쓰는 중입니다. 끝날 때까지 기다리거나 취소하세요</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/recording/exporting.py" line="36" />
      <source>nothing recorded yet: press Record (Ctrl+Shift+R) first</source>
      <translation>아직 녹화한 것이 없습니다: 먼저 녹화(Ctrl+Shift+R)를 누르세요</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/recording/exporting.py" line="80" />
      <source>recording discarded</source>
      <translation>녹화를 버렸습니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/recording/exporting.py" line="83" />
      <source>the recording is kept: File ▸ Export animation… saves it</source>
      <translation>녹화를 보관합니다: 파일 ▸ 애니메이션 내보내기…로 저장</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/recording/exporting.py" line="53" />
      <source>saved {path} ({n:,} frames, {w}×{h}, {fps:g} fps) in {s:.1f} s</source>
      <translation>저장함: {path} ({n:,}프레임, {w}×{h}, {fps:g} fps), {s:.1f}초 걸림</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/recording/exporting.py" line="90" />
      <location filename="../../scoreviz/gui/recording/exporting.py" line="112" />
      <source>Could not write the animation</source>
      <translation>애니메이션을 쓰지 못했습니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/recording/exporting.py" line="95" />
      <source>Writing {name}…</source>
      <translation>{name} 쓰는 중…</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/recording/exporting.py" line="56" />
      <source>{message}; the recording is kept (File ▸ Export animation…)</source>
      <translation>{message}. 녹화는 보관됩니다 (파일 ▸ 애니메이션 내보내기…)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/recording/exporting.py" line="58" />
      <source>could not write the animation: {reason}</source>
      <translation>애니메이션을 쓰지 못했습니다: {reason}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/recording/recorder.py" line="120" />
      <source>Recording the panels: press Record again (Ctrl+Shift+R) to stop and save</source>
      <translation>패널 녹화 중: 녹화(Ctrl+Shift+R)를 다시 누르면 멈추고 저장</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/recording/recorder.py" line="125" />
      <location filename="../../scoreviz/gui/recording/recorder.py" line="250" />
      <source>Record</source>
      <translation>녹화</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/recording/recorder.py" line="126" />
      <source>Record the panels as an animation; press again to stop and save it as MP4 or GIF</source>
      <translation>패널을 애니메이션으로 녹화합니다. 다시 누르면 멈추고 MP4 또는 GIF로 저장</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/recording/recorder.py" line="130" />
      <source>Export animation…</source>
      <translation>애니메이션 내보내기…</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/recording/recorder.py" line="131" />
      <source>Save the last recording as an MP4 or GIF (format, frame rate, file)</source>
      <translation>마지막 녹화를 MP4 또는 GIF로 저장 (형식, 프레임 속도, 파일)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/recording/recorder.py" line="134" />
      <source>Recording frame rate</source>
      <translation>녹화 프레임 속도</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/recording/recorder.py" line="331" />
      <source>Start a new recording</source>
      <translation>새 녹화 시작</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/recording/recorder.py" line="250" />
      <source>Stop recording</source>
      <translation>녹화 중지</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/recording/recorder.py" line="317" />
      <source>● REC {time}  ({n:,} frames)</source>
      <translation>● 녹화 {time}  ({n:,}프레임)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/recording/recorder.py" line="332" />
      <source>The last recording ({n:,} frames) has not been saved. Discard it?</source>
      <translation>마지막 녹화({n:,}프레임)가 저장되지 않았습니다. 버릴까요?</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/recording/recorder.py" line="139" />
      <source>{n} frames per second</source>
      <translation>초당 {n}프레임</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/recording/recorder.py" line="140" />
      <source>Capture the panels {n} times a second while recording</source>
      <translation>녹화하는 동안 패널을 초당 {n}번 캡처</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/recording/recorder.py" line="233" />
      <source>recording stopped: {reason}</source>
      <translation>녹화 중지됨: {reason}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/recording/recorder.py" line="241" />
      <source>recorded {n:,} frames ({s:.1f} s)</source>
      <translation>{n:,}프레임 녹화함 ({s:.1f}초)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/recording/recorder.py" line="288" />
      <source>recording stopped at {n:,} frames, the most one animation may have</source>
      <translation>녹화가 {n:,}프레임에서 멈췄습니다. 애니메이션 하나의 최대 프레임 수입니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/recording/recorder.py" line="290" />
      <source>recording stopped at {n:,} frames: it holds {mb:,.0f} MB of frames, the most one recording may use</source>
      <translation>녹화가 {n:,}프레임에서 멈췄습니다: 프레임이 {mb:,.0f} MB로, 녹화 하나가 쓸 수 있는 최대치입니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/sessions/autosave.py" line="38" />
      <source>recovered session</source>
      <translation>복구된 세션</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/sessions/autosave.py" line="136" />
      <source>%H:%M on %d %b</source>
      <translation>%m월 %d일 %H:%M</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/sessions/autosave.py" line="139" />
      <source>Reopen the last session?</source>
      <translation>마지막 세션을 다시 열까요?</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/sessions/autosave.py" line="142" />
      <source>Discard deletes the autosave; Later keeps it for the next start.</source>
      <translation>삭제하면 자동 저장 파일을 지웁니다. 나중에를 누르면 다음 시작 때까지 보관합니다.</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/sessions/autosave.py" line="144" />
      <source>Reopen</source>
      <translation>다시 열기</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/sessions/autosave.py" line="146" />
      <source>Later</source>
      <translation>나중에</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/sessions/autosave.py" line="37" />
      <source>recovered {name}</source>
      <translation>복구된 {name}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/sessions/autosave.py" line="140" />
      <source>scoreviz did not close properly last time. Reopen the session autosaved at {when}?</source>
      <translation>scoreviz가 지난번에 정상적으로 종료되지 않았습니다. {when}에 자동 저장된 세션을 다시 열까요?</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/sessions/opening.py" line="67" />
      <location filename="../../scoreviz/gui/sessions/opening.py" line="66" />
      <source>cannot open '{path}': {reason}</source>
      <translation>'{path}'을(를) 열 수 없습니다: {reason}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/sessions/opening.py" line="114" />
      <source>opening {file}…</source>
      <translation>{file} 여는 중…</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/sessions/opening.py" line="44" />
      <source> (saved on {device}; opened on the CPU)</source>
      <translation> ({device}에서 저장됨, CPU에서 열림)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/sessions/session_actions.py" line="71" />
      <source>Save session</source>
      <translation>세션 저장</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/sessions/session_actions.py" line="71" />
      <source>Save the whole session (model, optimiser, particles, history, view) as a .scoreviz file</source>
      <translation>세션 전체(모델, 옵티마이저, 입자, 기록, 보기)를 .scoreviz 파일로 저장합니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/sessions/session_actions.py" line="73" />
      <source>Save session as…</source>
      <translation>다른 이름으로 세션 저장…</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/sessions/session_actions.py" line="74" />
      <source>Save the session under a new name</source>
      <translation>세션을 새 이름으로 저장합니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/sessions/session_actions.py" line="75" />
      <source>Open recent</source>
      <translation>최근 파일 열기</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/sessions/session_actions.py" line="78" />
      <source>&amp;Examples</source>
      <translation>예제(&amp;E)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/sessions/session_actions.py" line="159" />
      <source>Save the session</source>
      <translation>세션 저장</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/sessions/session_actions.py" line="160" />
      <source>scoreviz session (*.scoreviz)</source>
      <translation>scoreviz 세션 (*.scoreviz)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/sessions/session_actions.py" line="221" />
      <source>Save as…</source>
      <translation>다른 이름으로 저장…</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/sessions/session_actions.py" line="221" />
      <source>Save the session under another name or in another folder</source>
      <translation>세션을 다른 이름이나 다른 폴더에 저장합니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/sessions/session_actions.py" line="280" />
      <source>Unsaved session</source>
      <translation>저장되지 않은 세션</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/sessions/session_actions.py" line="287" />
      <source>Unsaved training, settings and particles are lost otherwise.</source>
      <translation>저장하지 않으면 저장되지 않은 학습, 설정, 입자가 사라집니다.</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/sessions/session_actions.py" line="349" />
      <source>Clear the list</source>
      <translation>목록 지우기</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/sessions/session_actions.py" line="102" />
      <source>untitled</source>
      <translation>제목 없음</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/sessions/session_actions.py" line="171" />
      <source>nothing to save yet: the session is still starting</source>
      <translation>아직 저장할 것이 없습니다: 세션이 시작되는 중입니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/sessions/session_actions.py" line="225" />
      <source>Open another…</source>
      <translation>다른 파일 열기…</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/sessions/session_actions.py" line="225" />
      <source>Choose another file to open (Ctrl+O)</source>
      <translation>열 파일을 다시 고릅니다 (Ctrl+O)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/sessions/session_actions.py" line="281" />
      <source>this session</source>
      <translation>이 세션</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/sessions/session_actions.py" line="338" />
      <source>(no recent files)</source>
      <translation>(최근 파일 없음)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/sessions/session_actions.py" line="357" />
      <source>(the examples are not installed)</source>
      <translation>(예제가 설치되어 있지 않습니다)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/sessions/session_actions.py" line="183" />
      <source>there is no model to save</source>
      <translation>저장할 모델이 없습니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/sessions/session_actions.py" line="232" />
      <source>{label}: step {step:,}, {objective} on {density}</source>
      <translation>{label}: 스텝 {step:,}, {density}에서 {objective}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/sessions/session_actions.py" line="256" />
      <source>opened {file}: step {step:,}, {objective} on {density}{note}. Space continues training.</source>
      <translation>{file} 열림: 스텝 {step:,}, {density}에서 {objective}{note}. Space를 누르면 학습이 이어집니다.</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/sessions/session_actions.py" line="176" />
      <source>cannot save '{path}': folder '{folder}' does not exist</source>
      <translation>'{path}'에 저장할 수 없습니다: 폴더 '{folder}'이(가) 없습니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/sessions/session_actions.py" line="204" />
      <source>saved {path} ({size}, step {step:,})</source>
      <translation>{path} 저장됨 ({size}, 스텝 {step:,})</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/sessions/session_actions.py" line="234" />
      <location filename="../../scoreviz/gui/sessions/session_actions.py" line="259" />
      <location filename="../../scoreviz/gui/windows/main_window.py" line="342" />
      <source>density</source>
      <translation>밀도</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/sessions/session_actions.py" line="284" />
      <source>Save the changes to {name} (step {step:,}) first?</source>
      <translation>{name}(스텝 {step:,})의 변경 사항을 먼저 저장할까요?</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/sessions/session_actions.py" line="359" />
      <source>expected in {folder}</source>
      <translation>{folder}에 있어야 합니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/sessions/session_actions.py" line="194" />
      <source>could not save '{path}': {reason}</source>
      <translation>'{path}'을(를) 저장할 수 없습니다: {reason}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/sessions/session_actions.py" line="346" />
      <source>{path} (missing)</source>
      <translation>{path} (없음)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/compare_curves.py" line="28" />
      <location filename="../../scoreviz/gui/views/plots.py" line="149" />
      <source>relative F</source>
      <translation>상대 F</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/compare_curves.py" line="62" />
      <source>Relative Fisher divergence  F / E‖∇log q‖²  vs steps</source>
      <translation>상대 피셔 발산  F / E‖∇log q‖²  대 스텝</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/compare_curves.py" line="62" />
      <location filename="../../scoreviz/gui/views/compare_table.py" line="24" />
      <location filename="../../scoreviz/gui/views/identities_view.py" line="95" />
      <source>step</source>
      <translation>스텝</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/compare_curves.py" line="63" />
      <source>… vs training time (each configuration's own seconds)</source>
      <translation>… 대 학습 시간 (각 구성 자신의 초)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/compare_curves.py" line="63" />
      <source>seconds</source>
      <translation>초</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/compare_curves.py" line="70" />
      <source>Relative Fisher divergence of every configuration, measured every K steps on 10 000 fresh samples of its own target; against steps (fair: all make the same steps) and against the time its own training steps took. Log scale.</source>
      <translation>모든 구성의 상대 피셔 발산. K 스텝마다 자신의 목표에서 새로 뽑은 10 000개 샘플로 측정합니다. 스텝 기준(공정: 모두 같은 스텝을 밟음)과 자신의 학습 스텝에 걸린 시간 기준으로 그립니다. 로그 척도.</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/compare_panels.py" line="168" />
      <source>log₁₀‖error‖</source>
      <translation>log₁₀‖오차‖</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/compare_panels.py" line="194" />
      <source>Density log p</source>
      <translation>밀도 log p</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/compare_panels.py" line="201" />
      <source>log₁₀ error vs ∇log p</source>
      <translation>log₁₀ 오차 (∇log p 기준)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/compare_panels.py" line="193" />
      <source>True score {q}</source>
      <translation>참 스코어 {q}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/compare_panels.py" line="203" />
      <source>&lt;b&gt;{label}&lt;/b&gt; · learned s&lt;sub&gt;θ&lt;/sub&gt;</source>
      <translation>&lt;b&gt;{label}&lt;/b&gt; · 학습된 s&lt;sub&gt;θ&lt;/sub&gt;</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/compare_panels.py" line="200" />
      <source>log₁₀ error, σ = {sigma:.3g}</source>
      <translation>log₁₀ 오차, σ = {sigma:.3g}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/compare_table.py" line="24" />
      <source>configuration</source>
      <translation>구성</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/compare_table.py" line="24" />
      <location filename="../../scoreviz/gui/views/plots.py" line="149" />
      <location filename="../../scoreviz/gui/views/plots.py" line="305" />
      <source>loss</source>
      <translation>손실</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/compare_table.py" line="24" />
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="67" />
      <source>rel. F</source>
      <translation>상대 F</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/compare_table.py" line="24" />
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="70" />
      <location filename="../../scoreviz/gui/windows/main_window.py" line="63" />
      <source>steps/s</source>
      <translation>스텝/초</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/compare_table.py" line="24" />
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="71" />
      <source>train s</source>
      <translation>학습 초</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/compare_table.py" line="43" />
      <source>rel. F: the relative Fisher divergence at the last measurement (every K steps, and when paused); steps/s: each configuration's own training speed (its steps / the time they took)</source>
      <translation>상대 F: 마지막 측정(K 스텝마다, 그리고 일시정지했을 때)의 상대 피셔 발산; 스텝/초: 각 구성 자신의 학습 속도(스텝 수 / 걸린 시간)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/compare_table.py" line="58" />
      <source>rel. F vs ∇log p</source>
      <translation>상대 F (∇log p 기준)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/compare_table.py" line="59" />
      <source>F = E_p‖s_θ − ∇log p‖², relative to E_p‖∇log p‖²: against the density's own score</source>
      <translation>F = E_p‖s_θ − ∇log p‖², E_p‖∇log p‖²에 대한 상대값: 밀도 자신의 스코어와 비교</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/compare_table.py" line="61" />
      <source>rel. F vs ∇log p_σ</source>
      <translation>상대 F (∇log p_σ 기준)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/compare_table.py" line="65" />
      <source>rel. F vs own ∇log q</source>
      <translation>상대 F (각자의 ∇log q 기준)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/compare_table.py" line="66" />
      <source>F = E_q‖s_θ − ∇log q‖² relative to E_q‖∇log q‖², each configuration against its own target q (p, or p_σ = p ∗ N(0, σ²I) for a noise level σ); the cell's tooltip names it</source>
      <translation>F = E_q‖s_θ − ∇log q‖², E_q‖∇log q‖²에 대한 상대값. 각 구성을 자신의 목표 q(p, 또는 노이즈 수준 σ에 대한 p_σ = p ∗ N(0, σ²I))와 비교합니다. 셀의 툴팁이 어느 것인지 알려 줍니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/compare_table.py" line="103" />
      <source>against ∇log p</source>
      <translation>∇log p 기준</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/compare_table.py" line="62" />
      <source>F = E‖s_θ − ∇log p_σ‖² relative to E‖∇log p_σ‖², p_σ = p ∗ N(0, σ²I) with σ = {sigma:.3g}: the target every configuration trains towards</source>
      <translation>F = E‖s_θ − ∇log p_σ‖², E‖∇log p_σ‖²에 대한 상대값, p_σ = p ∗ N(0, σ²I), σ = {sigma:.3g}: 모든 구성이 학습하는 목표</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/compare_table.py" line="104" />
      <source>against ∇log p_σ, σ = {sigma:.3g}</source>
      <translation>∇log p_σ 기준, σ = {sigma:.3g}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/density_pair.py" line="47" />
      <source>log p (nats)</source>
      <translation>log p (nat)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/dynamics_panels.py" line="48" />
      <source> · {n} diverged</source>
      <translation> · {n}개 발산</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/dynamics_panels.py" line="53" />
      <source>step {index}/{steps} · NFE {nfe} · t = {t:.3g}</source>
      <translation>스텝 {index}/{steps} · NFE {nfe} · t = {t:.3g}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/dynamics_panels.py" line="137" />
      <source>step {index}/{steps} · NFE {nfe}
t = {t:.3g}</source>
      <translation>스텝 {index}/{steps} · NFE {nfe}
t = {t:.3g}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/dynamics_panels.py" line="96" />
      <source>{name}: its particles over log p of the data; the coloured lines are the recent paths of some of them. Wheel / drag: zoom / pan every panel together</source>
      <translation>{name}: 데이터의 log p 위에 놓인 입자들. 색깔 선은 그중 일부의 최근 경로입니다. 휠 / 드래그: 모든 패널을 함께 확대·축소 / 이동</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/identities_view.py" line="50" />
      <source>The network as it trains, measured by every objective on one shared batch of 2000 exact samples (once a second while this dock is shown). Integration by parts makes esm, ism + c, ssm + c and ssm-vr + c the same number (c = ½E‖∇log p‖², which does not depend on θ); denoising makes dsm − C equal esm on the noised density p_σ (C = 1/σ² − ½E‖∇log p_σ‖²). Bands: ±2 standard errors. The curves lie on each other whichever objective trains the network: the objectives differ in their cost and their noise, not in what they minimise.</source>
      <translation>학습 중인 네트워크를 모든 목적 함수로, 정확한 샘플 2000개로 이루어진 하나의 공유 배치에서 측정합니다(이 도크가 보이는 동안 1초에 한 번). 부분 적분에 의해 esm, ism + c, ssm + c, ssm-vr + c는 같은 값이 됩니다(c = ½E‖∇log p‖², θ와 무관). 디노이징에 의해 dsm − C는 노이즈가 더해진 밀도 p_σ에서의 esm과 같습니다(C = 1/σ² − ½E‖∇log p_σ‖²). 띠: ±2 표준 오차. 어느 목적 함수로 네트워크를 학습하든 곡선들은 서로 겹칩니다. 목적 함수들은 비용과 노이즈가 다를 뿐, 최소화하는 대상은 같습니다.</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/identities_view.py" line="44" />
      <source>esm on p&lt;sub&gt;σ&lt;/sub&gt;</source>
      <translation>p&lt;sub&gt;σ&lt;/sub&gt;에서의 esm</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/identities_view.py" line="145" />
      <source>tr ∇ₓs_θ, the divergence of the learned field: the term integration by parts creates in ism (E_p[s·∇log p] = −E_p[tr ∇ₓs]). Arrows: the first random projection v of a few of the shared samples; ssm estimates the trace by vᵀ∇ₓs v, exact on average because E[vvᵀ] = I.</source>
      <translation>tr ∇ₓs_θ, 학습된 필드의 발산: ism에서 부분 적분이 만들어 내는 항입니다(E_p[s·∇log p] = −E_p[tr ∇ₓs]). 화살표: 공유 샘플 몇 개의 첫 번째 무작위 사영 v. ssm은 vᵀ∇ₓs v로 대각합을 추정하며, E[vvᵀ] = I이므로 평균적으로 정확합니다.</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/identities_view.py" line="173" />
      <source>on p: one objective up to c</source>
      <translation>p에서: 상수 c를 빼면 하나의 목적 함수</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/identities_view.py" line="173" />
      <location filename="../../scoreviz/gui/views/identities_view.py" line="174" />
      <source>value</source>
      <translation>값</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/identities_view.py" line="174" />
      <source>on p&lt;sub&gt;σ&lt;/sub&gt;: dsm is esm of the noised p</source>
      <translation>p&lt;sub&gt;σ&lt;/sub&gt;에서: dsm은 노이즈가 더해진 p의 esm</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/identities_view.py" line="179" />
      <source>measuring starts when the dock is shown…</source>
      <translation>도크가 표시되면 측정을 시작합니다…</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/identities_view.py" line="183" />
      <source>The latest differences (0 in expectation) with ±1 standard error and z = difference / error; ✓ when within 3 errors. Per-sample std: the spread of one sample's estimate, which sets how many samples each objective needs.</source>
      <translation>최신 차이(기댓값 0)와 ±1 표준 오차, z = 차이 / 오차; 오차의 3배 이내이면 ✓. 샘플당 표준편차: 샘플 하나로 낸 추정값의 퍼짐으로, 각 목적 함수에 필요한 샘플 수를 정합니다.</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/identities_view.py" line="255" />
      <source>Identities</source>
      <translation>항등식</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/identities_view.py" line="257" />
      <source>Show or hide the identities: every objective measured on the network as it trains (Ctrl+Shift+I)</source>
      <translation>항등식 표시/숨기기: 학습 중인 네트워크에서 측정한 모든 목적 함수 (Ctrl+Shift+I)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/identities_view.py" line="136" />
      <source>tr ∇ₓs&lt;sub&gt;θ&lt;/sub&gt; and projections v</source>
      <translation>tr ∇ₓs&lt;sub&gt;θ&lt;/sub&gt;와 사영 v</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/identities_view.py" line="238" />
      <source>per-sample std: {stds}</source>
      <translation>샘플당 표준편차: {stds}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/panels.py" line="35" />
      <location filename="../../scoreviz/live/trainer.py" line="32" />
      <source>learned score</source>
      <translation>학습된 스코어</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/panels.py" line="35" />
      <location filename="../../scoreviz/live/trainer.py" line="32" />
      <source>true score</source>
      <translation>참 스코어</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/panels.py" line="87" />
      <location filename="../../scoreviz/gui/views/panels.py" line="459" />
      <source>s_θ ≈ 0 on this scale: not learned yet</source>
      <translation>이 스케일에서 s_θ ≈ 0: 아직 학습되지 않음</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/panels.py" line="40" />
      <source>{source} score</source>
      <translation>{source} 스코어</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/panels.py" line="368" />
      <source>Learned score s&lt;sub&gt;θ&lt;/sub&gt;</source>
      <translation>학습된 스코어 s&lt;sub&gt;θ&lt;/sub&gt;</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/panels.py" line="370" />
      <location filename="../../scoreviz/gui/views/panels.py" line="362" />
      <location filename="../../scoreviz/gui/windows/dynamics_controls.py" line="131" />
      <source>Particles</source>
      <translation>입자</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/panels.py" line="457" />
      <source>s_θ is not finite: the model diverged (Reset)</source>
      <translation>s_θ가 유한하지 않습니다: 모델이 발산했습니다 (초기화)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/panels.py" line="457" />
      <source>s_θ not finite: diverged</source>
      <translation>s_θ 유한하지 않음: 발산</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/panels.py" line="459" />
      <source>s_θ ≈ 0: not learned yet</source>
      <translation>s_θ ≈ 0: 아직 학습되지 않음</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/panels.py" line="369" />
      <source>True score ∇log {q}</source>
      <translation>참 스코어 ∇log {q}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/panels.py" line="371" />
      <source>Error vs ∇log {q} (σ = {sigma:.3g}), log₁₀</source>
      <translation>∇log {q} 대비 오차 (σ = {sigma:.3g}), log₁₀</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/panels.py" line="372" />
      <source>Error vs ∇log {q}, log₁₀</source>
      <translation>∇log {q} 대비 오차, log₁₀</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/panels.py" line="364" />
      <source>err. vs {q}, σ={sigma:.3g}</source>
      <translation>{q} 대비 오차, σ={sigma:.3g}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/panels.py" line="365" />
      <source>err. vs {q}</source>
      <translation>{q} 대비 오차</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/plots.py" line="124" />
      <source>The particles against the exact data density p, against the sampler's steps (log scale): KL(p̂‖q) of their smoothed 64 × 64 histogram (blue) and the sliced Wasserstein distance W1 to exact samples (orange), from the live scorecard (View ▸ Scorecard, Ctrl+Shift+G). The curve starts over when the particles are reset or the density or the sampler changes.</source>
      <translation>샘플러 스텝에 따른 정확한 데이터 밀도 p 대비 입자(로그 스케일): 평활화한 64 × 64 히스토그램의 KL(p̂‖q)(파랑)과 정확한 샘플까지의 슬라이스 바서슈타인 거리 W1(주황), 실시간 스코어카드의 값입니다(보기 ▸ 스코어카드, Ctrl+Shift+G). 입자를 초기화하거나 밀도 또는 샘플러가 바뀌면 곡선을 새로 시작합니다.</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/plots.py" line="146" />
      <source>Training loss</source>
      <translation>학습 손실</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/plots.py" line="147" />
      <source>Relative Fisher divergence  F / E‖∇log q‖²</source>
      <translation>상대 피셔 발산  F / E‖∇log q‖²</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/plots.py" line="165" />
      <source>sampler step</source>
      <translation>샘플러 스텝</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/plots.py" line="180" />
      <source>Loss of every training step (faint) and its moving average; the relative Fisher divergence of the learned score against the target on 10 000 fresh samples, measured often early and less often later (about 70 points between any step N/2 and N), within 5 % of the training time. Both on log scales, against the same steps.</source>
      <translation>모든 학습 스텝의 손실(흐리게)과 그 이동 평균; 새 샘플 10 000개에서 잰 목표 대비 학습된 스코어의 상대 피셔 발산으로, 초반에는 자주, 나중에는 드물게 측정합니다(어느 스텝 N/2와 N 사이에도 약 70개 점), 학습 시간의 5 % 이내. 둘 다 로그 스케일이며 같은 스텝 축을 씁니다.</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/plots.py" line="145" />
      <location filename="../../scoreviz/gui/views/scorecard_view.py" line="109" />
      <source>sliced W</source>
      <translation>슬라이스 W</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/plots.py" line="148" />
      <source>Particles vs p: {kl}, {sw}</source>
      <translation>p 대비 입자: {kl}, {sw}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/plots.py" line="305" />
      <source>loss (linear)</source>
      <translation>손실 (선형)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/probe.py" line="58" />
      <source>pin {n}</source>
      <translation>핀 {n}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/probe.py" line="77" />
      <source>Clear pins</source>
      <translation>핀 모두 지우기</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/probe.py" line="115" />
      <source>Curl of s_θ: ∂s_y/∂x − ∂s_x/∂y</source>
      <translation>s_θ의 컬: ∂s_y/∂x − ∂s_x/∂y</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/probe.py" line="155" />
      <source>Probe</source>
      <translation>프로브</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/probe.py" line="157" />
      <source>Curl</source>
      <translation>컬</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/probe.py" line="161" />
      <source>Curl panel</source>
      <translation>컬 패널</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/probe.py" line="162" />
      <source>A heat map of the curl of the learned field (0 for an energy model)</source>
      <translation>학습된 필드의 컬 히트맵 (에너지 모델이면 0)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/probe.py" line="165" />
      <source>Probe panel</source>
      <translation>프로브 패널</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/probe.py" line="41" />
      <source>({x:.3g}, {y:.3g}): s_θ {learned}, ∇log q {true}, angle {angle}, log q {log_q:.3g}, div {div:.3g}, curl {curl:.2g}</source>
      <translation>({x:.3g}, {y:.3g}): s_θ {learned}, ∇log q {true}, 각도 {angle}, log q {log_q:.3g}, div {div:.3g}, curl {curl:.2g}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/probe.py" line="47" />
      <source>s_θ − ∇log q = {difference}, ‖·‖ = {norm:.3g}, angle {angle}</source>
      <translation>s_θ − ∇log q = {difference}, ‖·‖ = {norm:.3g}, 각도 {angle}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/probe.py" line="51" />
      <source>Tweedie ({condition}): x̂₀ = {estimate}   exact {exact}</source>
      <translation>Tweedie ({condition}): x̂₀ = {estimate}   정확한 값 {exact}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/probe.py" line="71" />
      <source>Hover a panel to probe it; click to pin (up to {n}).</source>
      <translation>패널 위에 포인터를 올리면 값을 읽고, 클릭하면 핀으로 고정합니다(최대 {n}개).</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/probe.py" line="166" />
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="272" />
      <location filename="../../scoreviz/gui/windows/dynamics_window.py" line="198" />
      <source>&amp;View</source>
      <translation>보기(&amp;V)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/probe.py" line="187" />
      <source>At most {n} pins: right-click one to remove it.</source>
      <translation>핀은 최대 {n}개입니다: 핀을 오른쪽 클릭하면 지워집니다.</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/scorecard_view.py" line="30" />
      <source>Measured against the exact data density p (the preset, drawing or image itself), also for annealed samplers and smoothed objectives.</source>
      <translation>정확한 데이터 밀도 p(프리셋, 그림 또는 이미지 그 자체)에 대해 측정하며, 어닐링 샘플러와 평활화된 목적 함수에서도 마찬가지입니다.</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/scorecard_view.py" line="33" />
      <source>Mode weights: each particle goes to its most responsible mixture component (the posterior argmax); the sampled weight of a mode is the fraction of particles assigned to it (on a fixed subsample of at most 2000 particles, ~1 % binomial error). Grey: the true weight. A mode is found when its sampled weight is at least {found:g} × its true weight. Plain Langevin on the NCSN mixture keeps ½ : ½ instead of ⅕ : ⅘; annealed Langevin recovers it. </source>
      <translation>모드 가중치: 각 입자는 책임도가 가장 큰 혼합 성분(사후 확률의 argmax)에 배정되고, 한 모드의 샘플 가중치는 그 모드에 배정된 입자의 비율입니다(최대 2000개 입자의 고정 부분 표본, 이항 오차 ~1 %). 회색: 참 가중치. 샘플 가중치가 참 가중치의 {found:g}배 이상이면 그 모드를 찾은 것입니다. 일반 랑주뱅은 NCSN 혼합에서 ⅕ : ⅘ 대신 ½ : ½를 유지하고, 어닐링 랑주뱅은 이를 되찾습니다. </translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/scorecard_view.py" line="38" />
      <source>KL(p̂ ‖ q) in nats: the particles' histogram on a 64 × 64 grid of the density's box (plus one cell outside), both sides smoothed by a 1-cell Gaussian, against q's exact cell masses. 0 is a perfect match; biased upward at small N (exact samples read ~0.005–0.01 at N = 10 000, more at fewer particles); understates differences finer than a cell or two. </source>
      <translation>KL(p̂ ‖ q), 단위 nat: 밀도 상자의 64 × 64 격자(바깥 한 칸 포함)에서 입자의 히스토그램을 q의 정확한 칸 질량과 비교하며, 양쪽 모두 1칸 가우시안으로 평활화합니다. 0이면 완전히 일치합니다. N이 작으면 위로 편향되고(정확한 샘플도 N = 10 000에서 ~0.005–0.01, 입자가 적으면 더 큼), 한두 칸보다 미세한 차이는 과소평가합니다. </translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/scorecard_view.py" line="42" />
      <source>Total variation ½ Σ|p̂ − q| on the same smoothed grid: the mass in the wrong place, 0 to 1. </source>
      <translation>총변동 ½ Σ|p̂ − q|, 같은 평활화 격자에서: 잘못된 곳에 있는 질량, 0에서 1. </translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/scorecard_view.py" line="43" />
      <source>Sliced Wasserstein W1: the mean over 64 directions of the 1-D transport distance between ≤ 2000 particles and 2000 exact samples of p, in the density's units; a shift by v reads (2/π)|v|. Exact samples read ~0.04–0.08 (biased upward). Updated every second. </source>
      <translation>슬라이스 바서슈타인 W1: 입자 ≤ 2000개와 p의 정확한 샘플 2000개 사이의 1차원 수송 거리를 64개 방향에 대해 평균한 값으로, 밀도의 단위입니다. v만큼 이동하면 (2/π)|v|가 됩니다. 정확한 샘플은 ~0.04–0.08(위로 편향). 1초마다 갱신합니다. </translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/scorecard_view.py" line="86" />
      <location filename="../../scoreviz/gui/views/scorecard_view.py" line="176" />
      <source>modes found —</source>
      <translation>찾은 모드 —</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/scorecard_view.py" line="224" />
      <source>Scorecard</source>
      <translation>스코어카드</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/scorecard_view.py" line="225" />
      <source>The particles against the exact data density p: mode weights, KL, TV, sliced W</source>
      <translation>정확한 데이터 밀도 p 대비 입자: 모드 가중치, KL, TV, 슬라이스 W</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/scorecard_view.py" line="227" />
      <source>Show or hide the scorecard: mode weights, KL, TV and sliced W of the particles (Ctrl+Shift+G)</source>
      <translation>스코어카드 표시/숨기기: 입자의 모드 가중치, KL, TV, 슬라이스 W (Ctrl+Shift+G)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/scorecard_view.py" line="197" />
      <source>modes —</source>
      <translation>모드 —</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/scorecard_view.py" line="194" />
      <source>no modes: a grid density</source>
      <translation>모드 없음: 격자 밀도</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/scorecard_view.py" line="213" />
      <source>modes found {found}/{k}</source>
      <translation>찾은 모드 {found}/{k}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/scorecard_view.py" line="185" />
      <source>{n:,} particles at step {step:,} ({dropped:,} diverged, left out)</source>
      <translation>스텝 {step:,}의 입자 {n:,}개 (발산한 {dropped:,}개 제외)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/scorecard_view.py" line="187" />
      <source>{n:,} particles at step {step:,}</source>
      <translation>스텝 {step:,}의 입자 {n:,}개</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/scorecard_view.py" line="195" />
      <source>{k} components: too many to chart as modes</source>
      <translation>성분 {k}개: 모드로 나타내기에는 너무 많음</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/time_bar.py" line="44" />
      <source>Diffusion time: t = ε is (almost) the data, t = 1 the prior</source>
      <translation>확산 시간: t = ε는 (거의) 데이터, t = 1은 사전 분포</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/time_bar.py" line="50" />
      <source>The time the field panels show: s_θ(x, t) and the exact ∇log p_t; the density panel shows p_t (, and . move it)</source>
      <translation>필드 패널이 보여 주는 시간: s_θ(x, t)와 정확한 ∇log p_t; 밀도 패널은 p_t를 보여 줍니다 (, 와 . 키로 이동)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/time_bar.py" line="57" />
      <source>noise → data</source>
      <translation>노이즈 → 데이터</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/time_bar.py" line="58" />
      <source>data → noise</source>
      <translation>데이터 → 노이즈</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/time_bar.py" line="59" />
      <source>Which way a sweep runs: backwards in time (generation) or forwards (noising)</source>
      <translation>스윕 방향: 시간을 거슬러(생성) 또는 시간 순으로(노이즈 추가)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/time_bar.py" line="65" />
      <source>How long one sweep from one end of the time axis to the other takes</source>
      <translation>시간 축의 한쪽 끝에서 다른 쪽 끝까지 한 번 스윕하는 데 걸리는 시간</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/time_bar.py" line="68" />
      <location filename="../../scoreviz/gui/views/time_bar.py" line="145" />
      <source>Sweep</source>
      <translation>스윕</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/time_bar.py" line="69" />
      <source>Play t from one end to the other (Shift+T); press again to stop</source>
      <translation>t를 한쪽 끝에서 다른 쪽 끝까지 재생 (Shift+T); 다시 누르면 정지</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/time_bar.py" line="145" />
      <source>Stop</source>
      <translation>정지</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/views/time_bar.py" line="63" />
      <source>{s} s</source>
      <translation>{s}초</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/banner.py" line="31" />
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="223" />
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="36" />
      <source>Reset</source>
      <translation>초기화</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/banner.py" line="32" />
      <source>Start over with a fresh model (Ctrl+R)</source>
      <translation>새 모델로 처음부터 다시 시작합니다 (Ctrl+R)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/banner.py" line="33" />
      <source>Continue on &amp;CPU</source>
      <translation>&amp;CPU에서 계속</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/banner.py" line="34" />
      <source>The GPU failed: train on the CPU from now on, a fresh model that starts at once (Alt+C)</source>
      <translation>GPU에 오류가 났습니다: 이제부터 CPU에서 학습합니다. 새 모델로 바로 시작합니다 (Alt+C)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/banner.py" line="43" />
      <source>Dismiss this message</source>
      <translation>이 메시지 닫기</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_files.py" line="34" />
      <source>Open an image or a density file</source>
      <translation>이미지 또는 밀도 파일 열기</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_files.py" line="107" />
      <source>Save the comparison figure</source>
      <translation>비교 그림 저장</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_files.py" line="107" />
      <source>PNG (*.png)</source>
      <translation>PNG 이미지 (*.png)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_files.py" line="113" />
      <source>Save the curves</source>
      <translation>곡선 저장</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_files.py" line="113" />
      <source>CSV (*.csv)</source>
      <translation>CSV 파일 (*.csv)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_files.py" line="118" />
      <source>Save the summary</source>
      <translation>요약 저장</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_files.py" line="118" />
      <source>JSON (*.json)</source>
      <translation>JSON 파일 (*.json)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_files.py" line="36" />
      <source>Density files (*.json)</source>
      <translation>밀도 파일 (*.json)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_files.py" line="71" />
      <location filename="../../scoreviz/gui/windows/compare_files.py" line="86" />
      <source>could not write {path}: {error}</source>
      <translation>{path}에 쓸 수 없습니다: {error}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_files.py" line="75" />
      <location filename="../../scoreviz/gui/windows/compare_files.py" line="89" />
      <location filename="../../scoreviz/gui/windows/main_files.py" line="104" />
      <source>saved {path}</source>
      <translation>{path} 저장됨</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_files.py" line="135" />
      <source>could not encode the comparison figure as PNG</source>
      <translation>비교 그림을 PNG로 인코딩할 수 없습니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_files.py" line="35" />
      <source>Images (*.png *.jpg *.jpeg)</source>
      <translation>이미지 (*.png *.jpg *.jpeg)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_files.py" line="35" />
      <source>Images and densities (*.png *.jpg *.jpeg *.json)</source>
      <translation>이미지와 밀도 (*.png *.jpg *.jpeg *.json)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_sections.py" line="58" />
      <location filename="../../scoreviz/gui/windows/config_picker.py" line="145" />
      <source>Compare</source>
      <translation>비교</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_sections.py" line="67" />
      <location filename="../../scoreviz/gui/windows/dynamics_controls.py" line="113" />
      <location filename="../../scoreviz/gui/windows/dynamics_window.py" line="167" />
      <source>Run</source>
      <translation>실행</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_sections.py" line="67" />
      <source>Seed and measurement of the comparison (the model, optimiser and batch come from the main window).</source>
      <translation>비교의 시드와 측정 (모델, 옵티마이저, 배치는 메인 창의 것을 씁니다).</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_sections.py" line="77" />
      <source>One seed for every configuration: the same initial model and the same data batches; changing it starts over</source>
      <translation>모든 구성에 하나의 시드: 같은 초기 모델과 같은 데이터 배치. 바꾸면 처음부터 다시 시작합니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_sections.py" line="82" />
      <source> steps</source>
      <translation> 스텝</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_sections.py" line="84" />
      <source>Measure the Fisher divergences every K steps (10 000 samples each; also when paused)</source>
      <translation>K 스텝마다 피셔 발산을 측정합니다 (매번 10 000개 샘플; 일시정지 중에도)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_sections.py" line="87" />
      <source>Fisher every:</source>
      <translation>피셔 측정 간격:</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_sections.py" line="70" />
      <source>model {hidden}×{layers} {activation} {parametrization} · lr {lr:g} · batch {batch}</source>
      <translation>모델 {hidden}×{layers} {activation} {parametrization} · 학습률 {lr:g} · 배치 {batch}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="57" />
      <location filename="../../scoreviz/gui/windows/main_window.py" line="51" />
      <source>Learned score</source>
      <translation>학습된 스코어</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="57" />
      <source>each configuration's field s&lt;sub&gt;θ&lt;/sub&gt; (its colour in the table and the curves), on one shared magnitude scale so the columns compare</source>
      <translation>각 구성의 벡터장 s&lt;sub&gt;θ&lt;/sub&gt; (표와 곡선에서 그 구성의 색). 열끼리 비교되도록 하나의 공통 크기 척도로 그립니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="59" />
      <location filename="../../scoreviz/gui/windows/main_window.py" line="53" />
      <source>True score</source>
      <translation>참 스코어</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="59" />
      <source>∇log p (or ∇log p_σ when every configuration trains towards the same p_σ)</source>
      <translation>∇log p (모든 구성이 같은 p_σ를 학습할 때는 ∇log p_σ)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="60" />
      <source>log p of the target; with Draw on, paint it here</source>
      <translation>목표의 log p. 그리기를 켜면 여기에 칠합니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="61" />
      <location filename="../../scoreviz/gui/windows/main_window.py" line="54" />
      <source>Error</source>
      <translation>오차</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="61" />
      <source>log₁₀ ‖s&lt;sub&gt;θ&lt;/sub&gt; − ∇log q‖ per configuration, against its own target q (its title says which)</source>
      <translation>구성별 log₁₀ ‖s&lt;sub&gt;θ&lt;/sub&gt; − ∇log q‖, 자신의 목표 q와 비교 (제목에 어느 것인지 표시)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="63" />
      <source>Curves</source>
      <translation>곡선</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="63" />
      <source>relative Fisher divergence against steps (every configuration makes the same steps) and against its own training time</source>
      <translation>스텝 기준(모든 구성이 같은 스텝을 밟음)과 자신의 학습 시간 기준의 상대 피셔 발산</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="67" />
      <source>F / E‖∇log q‖², F = E&lt;sub&gt;q&lt;/sub&gt;‖s&lt;sub&gt;θ&lt;/sub&gt; − ∇log q‖²: 0 is a perfect score, 1 is as wrong as a zero field; measured every K steps on fresh samples</source>
      <translation>F / E‖∇log q‖², F = E&lt;sub&gt;q&lt;/sub&gt;‖s&lt;sub&gt;θ&lt;/sub&gt; − ∇log q‖²: 0은 완벽한 스코어, 1은 영벡터장만큼 틀린 것. K 스텝마다 새 샘플로 측정합니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="69" />
      <source>the objective's own loss (levels differ between objectives: compare rel. F instead)</source>
      <translation>목적 함수 자체의 손실 (목적 함수마다 수준이 다르므로 대신 상대 F를 비교하세요)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="70" />
      <source>each configuration's own training speed</source>
      <translation>각 구성 자신의 학습 속도</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="71" />
      <source>the seconds its own steps took</source>
      <translation>자신의 스텝에 걸린 초</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="77" />
      <source>scoreviz — compare objectives</source>
      <translation>scoreviz — 목적 함수 비교</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="216" />
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="29" />
      <location filename="../../scoreviz/gui/windows/window_base.py" line="220" />
      <source>Play</source>
      <translation>재생</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="216" />
      <source>Train every configuration / pause</source>
      <translation>모든 구성 학습 / 일시정지</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="221" />
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="34" />
      <source>Step</source>
      <translation>한 스텝</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="221" />
      <source>One step of every configuration</source>
      <translation>모든 구성을 한 스텝씩</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="224" />
      <source>Start over: fresh models from the seed, step 0</source>
      <translation>처음부터: 시드로 새 모델, 스텝 0</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="226" />
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="51" />
      <source>Faster</source>
      <translation>더 빠르게</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="226" />
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="51" />
      <source>Raise the training-speed limit</source>
      <translation>학습 속도 제한을 올립니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="227" />
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="52" />
      <source>Slower</source>
      <translation>더 느리게</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="227" />
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="52" />
      <source>Lower the training-speed limit</source>
      <translation>학습 속도 제한을 내립니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="228" />
      <source>Compare these configurations</source>
      <translation>이 구성들 비교</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="229" />
      <source>Apply the configurations in the dock (fresh models, step 0)</source>
      <translation>도크의 구성을 적용합니다 (새 모델, 스텝 0)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="232" />
      <source>Save figure…</source>
      <translation>그림 저장…</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="233" />
      <source>The fields and the curves as a PNG (as scoreviz compare writes compare.png)</source>
      <translation>벡터장과 곡선을 PNG로 (scoreviz compare가 compare.png를 쓰듯이)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="234" />
      <source>Save curves as CSV…</source>
      <translation>곡선을 CSV로 저장…</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="235" />
      <source>Every Fisher measurement: objective, step, seconds, loss, F, relative F</source>
      <translation>모든 피셔 측정값: 목적 함수, 스텝, 초, 손실, F, 상대 F</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="236" />
      <source>Save summary as JSON…</source>
      <translation>요약을 JSON으로 저장…</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="237" />
      <source>Final values and steps per second per configuration (as summary.json)</source>
      <translation>구성별 최종 값과 초당 스텝 (summary.json처럼)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="238" />
      <source>Open image or density…</source>
      <translation>이미지 또는 밀도 열기…</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="239" />
      <source>Open a PNG/JPEG image or a .json density file as the target</source>
      <translation>PNG/JPEG 이미지나 .json 밀도 파일을 목표로 엽니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="240" />
      <location filename="../../scoreviz/gui/windows/dynamics_window.py" line="180" />
      <location filename="../../scoreviz/gui/windows/model_density_window.py" line="171" />
      <source>Close</source>
      <translation>닫기</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="240" />
      <source>Close the compare window</source>
      <translation>비교 창을 닫습니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="241" />
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="48" />
      <source>Unit arrows</source>
      <translation>단위 화살표</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="242" />
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="49" />
      <source>Arrows of equal length: direction only</source>
      <translation>같은 길이의 화살표: 방향만</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="244" />
      <location filename="../../scoreviz/gui/windows/dynamics_window.py" line="177" />
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="50" />
      <source>Reset view</source>
      <translation>보기 초기화</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="244" />
      <location filename="../../scoreviz/gui/windows/dynamics_window.py" line="177" />
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="50" />
      <source>Zoom to the density's box</source>
      <translation>밀도의 영역에 맞춰 확대/축소</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="245" />
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="53" />
      <source>Take back the last brush stroke</source>
      <translation>마지막 붓질을 되돌립니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="246" />
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="54" />
      <source>Bigger brush</source>
      <translation>더 큰 붓</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="246" />
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="54" />
      <source>Brush radius × 1.25</source>
      <translation>붓 반지름 × 1.25</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="247" />
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="55" />
      <source>Smaller brush</source>
      <translation>더 작은 붓</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="247" />
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="55" />
      <source>Brush radius × 0.8</source>
      <translation>붓 반지름 × 0.8</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="248" />
      <location filename="../../scoreviz/gui/windows/dynamics_window.py" line="181" />
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="61" />
      <source>Keyboard shortcuts</source>
      <translation>단축키</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="248" />
      <location filename="../../scoreviz/gui/windows/dynamics_window.py" line="181" />
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="61" />
      <source>List the keyboard shortcuts</source>
      <translation>단축키 목록을 봅니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="252" />
      <source>Limit of comparison steps per second (each configuration makes one step per comparison step) (+ / −)</source>
      <translation>초당 비교 스텝 제한 (비교 스텝마다 각 구성이 한 스텝씩) (+ / −)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="262" />
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="80" />
      <source>&amp;File</source>
      <translation>파일(&amp;F)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="269" />
      <location filename="../../scoreviz/gui/windows/dynamics_window.py" line="193" />
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="91" />
      <source>&amp;Run</source>
      <translation>실행(&amp;R)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="276" />
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="109" />
      <source>&amp;Draw</source>
      <translation>그리기(&amp;D)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="279" />
      <location filename="../../scoreviz/gui/windows/dynamics_window.py" line="201" />
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="113" />
      <source>&amp;Help</source>
      <translation>도움말(&amp;H)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="287" />
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="172" />
      <location filename="../../scoreviz/gui/windows/model_density_window.py" line="256" />
      <source>starting…</source>
      <translation>시작 중…</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="368" />
      <source>Drawing: left-drag on the density panel paints, right-drag erases; every configuration starts over on the painted target.</source>
      <translation>그리기: 밀도 패널에서 왼쪽 드래그로 칠하고 오른쪽 드래그로 지웁니다. 모든 구성이 칠한 목표로 처음부터 다시 시작합니다.</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="172" />
      <source>Press Space (or Play) to train every configuration side by side.</source>
      <translation>Space(또는 재생)를 누르면 모든 구성을 나란히 학습합니다.</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="284" />
      <source>Steps of every configuration since the last reset</source>
      <translation>마지막 초기화 이후 모든 구성의 스텝</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="285" />
      <source>Comparison steps per second (each configuration makes one per comparison step)</source>
      <translation>초당 비교 스텝 (비교 스텝마다 각 구성이 한 스텝씩)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="286" />
      <location filename="../../scoreviz/gui/windows/dynamics_window.py" line="154" />
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="170" />
      <source>Frames drawn per second</source>
      <translation>초당 그린 프레임</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="286" />
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="171" />
      <source>Where training runs</source>
      <translation>학습이 실행되는 곳</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="291" />
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="176" />
      <location filename="../../scoreviz/gui/windows/talk_mode.py" line="137" />
      <source>step {n:,}</source>
      <translation>스텝 {n:,}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="292" />
      <source>{speed:,.0f} steps/s</source>
      <translation>{speed:,.0f} 스텝/초</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/compare_window.py" line="293" />
      <location filename="../../scoreviz/gui/windows/dynamics_window.py" line="324" />
      <source>{fps:.0f} fps</source>
      <translation>{fps:.0f} fps</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/config_picker.py" line="63" />
      <source>Objective of this configuration</source>
      <translation>이 구성의 목적 함수</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/config_picker.py" line="67" />
      <source>Remove this configuration</source>
      <translation>이 구성을 제거합니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/config_picker.py" line="75" />
      <source>ssm / ssm-vr: random projections per sample</source>
      <translation>ssm / ssm-vr: 샘플당 무작위 사영 수</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/config_picker.py" line="79" />
      <source>Distribution of the projections v</source>
      <translation>사영 벡터 v의 분포</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/config_picker.py" line="85" />
      <source>ncsn: number of geometric noise levels</source>
      <translation>ncsn: 기하급수적 노이즈 수준의 개수</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/config_picker.py" line="135" />
      <source>Configurations</source>
      <translation>구성</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/config_picker.py" line="135" />
      <source>The objectives compared: the same density, seed, model and data batches for all; each gets the same number of steps.</source>
      <translation>비교할 목적 함수들: 모두 같은 밀도, 시드, 모델, 데이터 배치를 쓰고, 각각 같은 수의 스텝을 밟습니다.</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/config_picker.py" line="143" />
      <source>Add</source>
      <translation>추가</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/config_picker.py" line="146" />
      <source>Train these configurations side by side, from fresh models (Ctrl+Return)</source>
      <translation>이 구성들을 새 모델에서 나란히 학습합니다 (Ctrl+Return)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/config_picker.py" line="86" />
      <source>proj.</source>
      <translation>사영</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/config_picker.py" line="88" />
      <source>levels</source>
      <translation>수준</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/config_picker.py" line="144" />
      <source>Another configuration (at most {n})</source>
      <translation>구성 하나 더 (최대 {n}개)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/config_picker.py" line="210" />
      <source>{label} is listed twice: give each configuration a different objective or setting</source>
      <translation>{label}이(가) 두 번 있습니다: 구성마다 다른 목적 함수나 설정을 주세요</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/config_picker.py" line="213" />
      <source>compare {lo} to {hi} configurations</source>
      <translation>{lo}~{hi}개의 구성을 비교하세요</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/config_picker.py" line="205" />
      <source>configuration {n}: {error}</source>
      <translation>구성 {n}: {error}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_controls.py" line="23" />
      <source>variance exploding: x_t = x_0 + σ(t)z; prior N(0, σ_max²I), σ_max the box's diagonal</source>
      <translation>분산 폭발(VE): x_t = x_0 + σ(t)z; 사전 분포 N(0, σ_max²I), σ_max는 영역의 대각선</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_controls.py" line="24" />
      <source>variance preserving: x_t = α(t)x_0 + √(1−α²)z; prior N(0, I)</source>
      <translation>분산 보존(VP): x_t = α(t)x_0 + √(1−α²)z; 사전 분포 N(0, I)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_controls.py" line="25" />
      <source>sub-VP: mean α(t)x_0, std 1 − α(t)²; prior N(0, I)</source>
      <translation>sub-VP: 평균 α(t)x_0, 표준편차 1 − α(t)²; 사전 분포 N(0, I)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_controls.py" line="30" />
      <source>Euler–Maruyama of the reverse-time SDE dx = [f − g²s]dt + g dw̄ (one score evaluation a step)</source>
      <translation>역시간 SDE dx = [f − g²s]dt + g dw̄의 오일러–마루야마 (스텝당 스코어 평가 한 번)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_controls.py" line="31" />
      <source>the probability-flow ODE dx/dt = f − ½g²s with fixed-step Euler: deterministic, one evaluation a step</source>
      <translation>고정 스텝 오일러로 푼 확률 흐름 ODE dx/dt = f − ½g²s: 결정론적, 스텝당 평가 한 번</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_controls.py" line="33" />
      <source>the probability-flow ODE with Heun's second-order method: deterministic, two evaluations a step</source>
      <translation>Heun의 2차 방법으로 푼 확률 흐름 ODE: 결정론적, 스텝당 평가 두 번</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_controls.py" line="35" />
      <source>predictor–corrector: a Langevin corrector step (signal-to-noise r = 0.16) then a reverse-diffusion predictor step (two evaluations a step)</source>
      <translation>예측자–수정자: 랑주뱅 수정자 스텝(신호 대 노이즈 r = 0.16) 뒤에 역확산 예측자 스텝 (스텝당 평가 두 번)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_controls.py" line="37" />
      <source>annealed Langevin: {levels} levels σᵢ = std(tᵢ) at times tᵢ from 1 to ε, steps ÷ 10 Langevin steps of size 0.1σᵢ² at each, score s(x, tᵢ)</source>
      <translation>어닐링 랑주뱅: 1에서 ε까지의 시각 tᵢ에서 {levels}개 수준 σᵢ = std(tᵢ), 각 수준에서 크기 0.1σᵢ²의 랑주뱅 스텝을 스텝 수 ÷ 10번, 스코어 s(x, tᵢ)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_controls.py" line="65" />
      <source>Score</source>
      <translation>스코어</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_controls.py" line="66" />
      <source>Which score drives every dynamic: the main window's trained network or the exact one</source>
      <translation>모든 동역학을 움직이는 스코어: 메인 창에서 학습한 신경망 또는 정확한 스코어</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_controls.py" line="69" />
      <source>Learned s_θ(x, t)</source>
      <translation>학습된 s_θ(x, t)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_controls.py" line="70" />
      <source>The main window's model as it was when this window opened (F5 takes the newest): needs a time-conditional model trained with objective sde</source>
      <translation>이 창을 열 때의 메인 창 모델 (F5로 최신 모델을 가져옵니다): 목적 함수 sde로 학습한 시간 조건부 모델이 필요합니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_controls.py" line="72" />
      <source>True ∇log pₜ</source>
      <translation>참 ∇log pₜ</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_controls.py" line="73" />
      <source>The exact score of the data density noised to time t by the chosen process: what is left is sampler error alone</source>
      <translation>선택한 과정으로 시각 t까지 노이즈를 더한 데이터 밀도의 정확한 스코어: 남는 것은 샘플러 오차뿐입니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_controls.py" line="91" />
      <source>Process</source>
      <translation>과정</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_controls.py" line="96" />
      <source>Every ticked dynamic runs side by side from the same prior samples with the same noise seed</source>
      <translation>체크한 모든 동역학이 같은 사전 분포 샘플에서 같은 노이즈 시드로 나란히 실행됩니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_controls.py" line="116" />
      <source>Steps of every dynamic from t = 1 to ε (fewer steps: more sampler error). Heun and PC evaluate the score twice a step; annealed Langevin makes 10 levels of steps ÷ 10</source>
      <translation>t = 1에서 ε까지 각 동역학의 스텝 수 (스텝이 적을수록 샘플러 오차가 큽니다). Heun과 PC는 스텝당 스코어를 두 번 평가하고, 어닐링 랑주뱅은 10개 수준에서 각각 스텝 수 ÷ 10번 진행합니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_controls.py" line="120" />
      <source>Particles, drawn once from the prior and shared by every dynamic</source>
      <translation>사전 분포에서 한 번 뽑아 모든 동역학이 함께 쓰는 입자</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_controls.py" line="122" />
      <source>The prior sample's seed; every dynamic's noise generator gets the same seed (seed + 0x5EED)</source>
      <translation>사전 분포 샘플의 시드. 모든 동역학의 노이즈 생성기가 같은 시드(seed + 0x5EED)를 받습니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_controls.py" line="128" />
      <source>About how long a run takes from the prior to the data: every dynamic advances by the same fraction of its steps each frame, so all arrive together</source>
      <translation>사전 분포에서 데이터까지 한 번 실행하는 데 걸리는 대략의 시간: 모든 동역학이 프레임마다 자기 스텝의 같은 비율만큼 나아가므로 함께 도착합니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_controls.py" line="130" />
      <source>Steps</source>
      <translation>스텝</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_controls.py" line="132" />
      <source>Seed</source>
      <translation>시드</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_controls.py" line="133" />
      <source>Duration</source>
      <translation>길이</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_controls.py" line="191" />
      <source>The model's own process (it was trained with it)</source>
      <translation>모델 자신의 과정 (이 과정으로 학습됨)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_controls.py" line="192" />
      <source>The forward process whose exact score ∇log pₜ drives the dynamics</source>
      <translation>정확한 스코어 ∇log pₜ로 동역학을 움직이는 순방향 과정</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_controls.py" line="95" />
      <source>Dynamics ({lo} to {hi})</source>
      <translation>동역학 ({lo}~{hi}개)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_controls.py" line="106" />
      <source>Tick at least {n} dynamics.</source>
      <translation>동역학을 {n}개 이상 체크하세요.</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_controls.py" line="126" />
      <source>{n} s</source>
      <translation>{n}초</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_window.py" line="51" />
      <source>Main window's model: {what}, step {step:,}</source>
      <translation>메인 창의 모델: {what}, 스텝 {step:,}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_window.py" line="52" />
      <source> (no weights yet)</source>
      <translation> (아직 가중치 없음)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_window.py" line="90" />
      <location filename="../../scoreviz/gui/windows/window_base.py" line="168" />
      <source>Panels</source>
      <translation>패널</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_window.py" line="90" />
      <source>one per dynamic, all from the same prior samples with the same noise seed: the particles over log p of the data, coloured lines the recent paths of some of them</source>
      <translation>동역학마다 하나, 모두 같은 사전 분포 샘플에서 같은 노이즈 시드로: 데이터의 log p 위의 입자들, 색깔 선은 그중 일부의 최근 경로</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_window.py" line="92" />
      <source>Titles</source>
      <translation>제목</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_window.py" line="92" />
      <source>the dynamic, its steps done of all, its score evaluations (NFE) and the time t it has reached</source>
      <translation>동역학, 전체 중 마친 스텝, 스코어 평가 횟수(NFE), 도달한 시각 t</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_window.py" line="94" />
      <source>Reading it</source>
      <translation>읽는 법</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_window.py" line="94" />
      <source>panels that disagree with the true score: sampler error; learned panels that all miss what the true score finds: training error</source>
      <translation>참 스코어와 어긋나는 패널: 샘플러 오차; 참 스코어가 찾는 것을 학습된 패널이 모두 놓치면: 학습 오차</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_window.py" line="101" />
      <source>scoreviz — every dynamic, one network</source>
      <translation>scoreviz — 모든 동역학, 하나의 신경망</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_window.py" line="121" />
      <source>Starting…</source>
      <translation>시작 중…</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_window.py" line="123" />
      <source>The score, the process and the shared start: every panel begins from the same prior samples and draws its noise from a generator with the same seed</source>
      <translation>스코어, 과정, 공통 출발점: 모든 패널이 같은 사전 분포 샘플에서 시작하고 같은 시드의 생성기에서 노이즈를 뽑습니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_window.py" line="142" />
      <source>Dynamics</source>
      <translation>동역학</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_window.py" line="167" />
      <source>Run every dynamic / pause</source>
      <translation>모든 동역학 실행 / 일시정지</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_window.py" line="172" />
      <source>Restart</source>
      <translation>다시 시작</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_window.py" line="172" />
      <source>Every dynamic from the same prior samples again, with the same noise</source>
      <translation>모든 동역학을 같은 사전 분포 샘플에서 같은 노이즈로 다시 실행합니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_window.py" line="175" />
      <source>Newest model</source>
      <translation>최신 모델</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_window.py" line="176" />
      <source>Take the main window's newest trained weights and run again</source>
      <translation>메인 창의 최신 학습 가중치를 가져와 다시 실행합니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_window.py" line="178" />
      <location filename="../../scoreviz/gui/windows/dynamics_window.py" line="297" />
      <location filename="../../scoreviz/gui/windows/dynamics_window.py" line="248" />
      <source>Use the true score</source>
      <translation>참 스코어 사용</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_window.py" line="179" />
      <source>Drive the dynamics with the exact ∇log pₜ: what remains is sampler error</source>
      <translation>정확한 ∇log pₜ로 동역학을 움직입니다: 남는 것은 샘플러 오차입니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_window.py" line="180" />
      <source>Close this window</source>
      <translation>이 창을 닫습니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_window.py" line="49" />
      <source>objective sde ({sde})</source>
      <translation>목적 함수 sde ({sde})</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_window.py" line="50" />
      <source>objective {name}</source>
      <translation>목적 함수 {name}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_window.py" line="59" />
      <source>Dynamics need a time-conditional model trained with objective sde (this one is trained with objective {objective}); use the true score instead.</source>
      <translation>동역학에는 목적 함수 sde로 학습한 시간 조건부 모델이 필요합니다 (이 모델은 목적 함수 {objective}로 학습되었습니다). 대신 참 스코어를 사용하세요.</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_window.py" line="245" />
      <source>The main window has no trained weights yet: train it, then press F5; or use the true score.</source>
      <translation>메인 창에 아직 학습된 가중치가 없습니다: 학습한 뒤 F5를 누르거나, 참 스코어를 사용하세요.</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_window.py" line="271" />
      <source>No main window to take a model from</source>
      <translation>모델을 가져올 메인 창이 없습니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_window.py" line="291" />
      <location filename="../../scoreviz/gui/windows/window_base.py" line="220" />
      <source>Pause</source>
      <translation>일시정지</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_window.py" line="153" />
      <source>How far every dynamic has come (the same fraction of its steps) and frames since the start</source>
      <translation>모든 동역학의 진행 정도(자기 스텝의 같은 비율)와 시작 이후 프레임 수</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_window.py" line="287" />
      <source>Took the main window's model at step {step:,}</source>
      <translation>메인 창의 모델을 스텝 {step:,}에서 가져왔습니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_window.py" line="298" />
      <location filename="../../scoreviz/gui/windows/dynamics_window.py" line="249" />
      <source>Drive the dynamics with the exact ∇log pₜ</source>
      <translation>정확한 ∇log pₜ로 동역학을 움직입니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_window.py" line="310" />
      <source>{source} · {process} · {n:,} particles from one prior sample (seed {seed}); every panel draws the same noise</source>
      <translation>{source} · {process} · 하나의 사전 분포 샘플에서 뽑은 입자 {n:,}개 (시드 {seed}); 모든 패널이 같은 노이즈를 씁니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_window.py" line="323" />
      <source> · done</source>
      <translation> · 완료</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/dynamics_window.py" line="322" />
      <source>{progress:.0%} · frame {frame}</source>
      <translation>{progress:.0%} · 프레임 {frame}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/lesson_player.py" line="31" />
      <source>Locked by the lesson's scene</source>
      <translation>레슨의 장면이 잠갔습니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/lesson_player.py" line="33" />
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="21" />
      <source>English</source>
      <translation>English</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/lesson_player.py" line="94" />
      <source>The previous scene (PgUp; ← in talk mode)</source>
      <translation>이전 장면 (PgUp, 발표 모드에서는 ←)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/lesson_player.py" line="95" />
      <source>The next scene (PgDown; → in talk mode)</source>
      <translation>다음 장면 (PgDown, 발표 모드에서는 →)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/lesson_player.py" line="96" />
      <source>The language of the lesson's titles and captions</source>
      <translation>레슨 제목과 자막의 언어</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/lesson_player.py" line="97" />
      <source>Close the lesson (the session stays)</source>
      <translation>레슨을 닫습니다 (세션은 그대로 남습니다)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/lesson_player.py" line="143" />
      <source>Next scene</source>
      <translation>다음 장면</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/lesson_player.py" line="144" />
      <source>Previous scene</source>
      <translation>이전 장면</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/lesson_player.py" line="145" />
      <source>Close lesson</source>
      <translation>레슨 닫기</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/lesson_player.py" line="344" />
      <source> · preparing…</source>
      <translation> · 준비 중…</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/lesson_player.py" line="258" />
      <source>scene {n} could not be prepared: {reason}</source>
      <translation>장면 {n}을(를) 준비할 수 없습니다: {reason}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/main_files.py" line="28" />
      <source>Open a session, a lesson, an image or a density file</source>
      <translation>세션, 레슨, 이미지 또는 밀도 파일 열기</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/main_files.py" line="29" />
      <source>Sessions, lessons, images and densities (*.scoreviz *.lesson.json *.png *.jpg *.jpeg *.json);;scoreviz sessions (*.scoreviz);;Lessons (*.lesson.json);;Images (*.png *.jpg *.jpeg);;Density files (*.json);;All files (*)</source>
      <translation>세션, 레슨, 이미지, 밀도 (*.scoreviz *.lesson.json *.png *.jpg *.jpeg *.json);;scoreviz 세션 (*.scoreviz);;레슨 (*.lesson.json);;이미지 (*.png *.jpg *.jpeg);;밀도 파일 (*.json);;모든 파일 (*)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/main_files.py" line="78" />
      <source>Save the target density</source>
      <translation>목표 밀도 저장</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/main_files.py" line="79" />
      <source>Density (*.json)</source>
      <translation>밀도 (*.json)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="21" />
      <source>System language</source>
      <translation>시스템 언어</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="29" />
      <source>Train continuously / pause</source>
      <translation>계속 학습 / 일시정지</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="34" />
      <source>One training step</source>
      <translation>학습 한 스텝</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="36" />
      <source>Start over: a fresh model from the seed, step 0</source>
      <translation>처음부터: 시드로 새 모델, 스텝 0</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="39" />
      <source>Scatter the particles over the box again</source>
      <translation>입자를 영역 전체에 다시 흩뿌립니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="40" />
      <source>Open…</source>
      <translation>열기…</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="41" />
      <source>Open a .scoreviz session, a .lesson.json lesson, or a PNG/JPEG image or .json density file as the target</source>
      <translation>.scoreviz 세션이나 .lesson.json 레슨을 열거나, PNG/JPEG 이미지 또는 .json 밀도 파일을 목표로 엽니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="43" />
      <source>Save density…</source>
      <translation>밀도 저장…</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="44" />
      <source>Save the current target density as a .json file</source>
      <translation>현재 목표 밀도를 .json 파일로 저장합니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="45" />
      <source>Quit</source>
      <translation>종료</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="45" />
      <source>Close scoreviz</source>
      <translation>scoreviz를 닫습니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="47" />
      <source>Show where the model is wrong: ‖s_θ − ∇log q‖</source>
      <translation>모델이 틀린 곳을 보여 줍니다: ‖s_θ − ∇log q‖</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="56" />
      <source>Compare objectives…</source>
      <translation>목적 함수 비교…</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="57" />
      <source>Train 2 to 4 objectives side by side on this density</source>
      <translation>이 밀도에서 목적 함수 2~4개를 나란히 학습합니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="58" />
      <source>Every dynamic…</source>
      <translation>모든 동역학…</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="59" />
      <source>Run this model (or the true score) through 2 to 5 samplers side by side, same prior, same noise</source>
      <translation>이 모델(또는 참 스코어)을 샘플러 2~5개로 나란히 실행합니다. 같은 사전 분포, 같은 노이즈</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="62" />
      <location filename="../../scoreviz/gui/windows/main_window.py" line="372" />
      <source>About scoreviz</source>
      <translation>scoreviz 정보</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="62" />
      <source>What this is</source>
      <translation>이 프로그램에 대해</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="63" />
      <source>Model density…</source>
      <translation>모델 밀도…</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="64" />
      <source>The model's own density log p_θ (PF-ODE likelihood) beside the exact log p, and its NLL against the true entropy; needs a time-conditional model (objective sde)</source>
      <translation>모델 자신의 밀도 log p_θ(PF-ODE 가능도)를 정확한 log p 옆에 보여 주고, 그 NLL을 참 엔트로피와 비교합니다. 시간 조건부 모델(목적 함수 sde)이 필요합니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="70" />
      <source>Training-speed limit in steps per second: slow it down to watch single steps (+ / −)</source>
      <translation>초당 스텝으로 나타낸 학습 속도 제한: 낮추면 스텝 하나하나를 볼 수 있습니다 (+ / −)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="120" />
      <source>&amp;Language</source>
      <translation>언어(&amp;L)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="144" />
      <source>The interface is already in this language</source>
      <translation>인터페이스가 이미 이 언어입니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="146" />
      <source>The language changes when scoreviz starts again</source>
      <translation>언어는 scoreviz를 다시 시작하면 바뀝니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="153" />
      <source>&amp;Lessons</source>
      <translation>레슨(&amp;L)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="160" />
      <source>(no lessons are installed)</source>
      <translation>(설치된 레슨이 없습니다)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="177" />
      <source>loss —</source>
      <translation>손실 —</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="169" />
      <source>Training steps since the last reset</source>
      <translation>마지막 초기화 이후의 학습 스텝</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="169" />
      <source>Loss of the latest step</source>
      <translation>최근 스텝의 손실</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="170" />
      <source>Training steps per second</source>
      <translation>초당 학습 스텝</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="178" />
      <source>{v:,.0f} steps/s</source>
      <translation>{v:,.0f} 스텝/초</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="179" />
      <source>{v:.0f} fps</source>
      <translation>{v:.0f} fps</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="157" />
      <source>Step through {file}: PgDown / PgUp, or → / ← in talk mode (F11)</source>
      <translation>{file}을(를) 장면별로 넘깁니다: PgDown / PgUp, 발표 모드(F11)에서는 → / ←</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/main_menus.py" line="177" />
      <source>loss {v:.4g}</source>
      <translation>손실 {v:.4g}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/main_window.py" line="51" />
      <source>the network's field s&lt;sub&gt;θ&lt;/sub&gt;(x): arrows point uphill in density, length and colour show |s&lt;sub&gt;θ&lt;/sub&gt;| (scale in the colour bar)</source>
      <translation>신경망의 벡터장 s&lt;sub&gt;θ&lt;/sub&gt;(x): 화살표는 밀도가 높아지는 쪽을 가리키고, 길이와 색은 |s&lt;sub&gt;θ&lt;/sub&gt;|를 나타냅니다 (척도는 색상 막대에)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/main_window.py" line="53" />
      <source>the exact field ∇log q of the target the objective trains towards, on the same scale</source>
      <translation>목적 함수가 학습하는 목표의 정확한 벡터장 ∇log q, 같은 척도</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/main_window.py" line="54" />
      <source>where the model is wrong: log₁₀ ‖s&lt;sub&gt;θ&lt;/sub&gt; − ∇log q‖ (E shows it)</source>
      <translation>모델이 틀린 곳: log₁₀ ‖s&lt;sub&gt;θ&lt;/sub&gt; − ∇log q‖ (E로 표시)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/main_window.py" line="55" />
      <source>Langevin samples drawn with the chosen score, over the density log p as a heat map</source>
      <translation>선택한 스코어로 뽑은 랑주뱅 샘플, 밀도 log p 히트맵 위에 표시</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/main_window.py" line="56" />
      <source>Loss</source>
      <translation>손실</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/main_window.py" line="56" />
      <source>the objective's training loss per step (its level differs between objectives)</source>
      <translation>스텝별 목적 함수의 학습 손실 (수준은 목적 함수마다 다릅니다)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/main_window.py" line="57" />
      <source>Relative Fisher</source>
      <translation>상대 피셔</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/main_window.py" line="57" />
      <source>F / E‖∇log q‖² with F = E&lt;sub&gt;q&lt;/sub&gt;‖s&lt;sub&gt;θ&lt;/sub&gt; − ∇log q‖²: 0 is a perfect score, 1 is as wrong as a zero field; it compares objectives</source>
      <translation>F / E‖∇log q‖², F = E&lt;sub&gt;q&lt;/sub&gt;‖s&lt;sub&gt;θ&lt;/sub&gt; − ∇log q‖²: 0은 완벽한 스코어, 1은 영벡터장만큼 틀린 것. 목적 함수끼리 비교할 수 있습니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/main_window.py" line="61" />
      <source>training steps since the last reset</source>
      <translation>마지막 초기화 이후의 학습 스텝</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/main_window.py" line="62" />
      <source>the latest step's loss</source>
      <translation>최근 스텝의 손실</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/main_window.py" line="63" />
      <source>training speed (the Speed box limits it)</source>
      <translation>학습 속도 (속도 상자로 제한)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/main_window.py" line="64" />
      <source>fps</source>
      <translation>fps</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/main_window.py" line="64" />
      <source>frames drawn per second</source>
      <translation>초당 그린 프레임</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/main_window.py" line="111" />
      <source>Controls</source>
      <translation>컨트롤</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/main_window.py" line="352" />
      <source>Drawing: left-drag on the particles panel paints, right-drag erases; the painting becomes the target as you draw.</source>
      <translation>그리기: 입자 패널에서 왼쪽 드래그로 칠하고 오른쪽 드래그로 지웁니다. 그리는 대로 그림이 목표가 됩니다.</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/main_window.py" line="177" />
      <source>Press Space (or Play) to train; paint, load or type a density in the dock.</source>
      <translation>Space(또는 재생)를 누르면 학습합니다. 도크에서 밀도를 그리거나 불러오거나 입력하세요.</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/main_window.py" line="373" />
      <source>&lt;b&gt;scoreviz {version}&lt;/b&gt;&lt;p&gt;See score-based generative models think: a score network trains live on a 2-D density; the learned field, the true score and Langevin particles side by side.&lt;/p&gt;</source>
      <translation>&lt;b&gt;scoreviz {version}&lt;/b&gt;&lt;p&gt;스코어 기반 생성 모델이 생각하는 모습을 봅니다: 스코어 신경망이 2차원 밀도에서 실시간으로 학습하고, 학습된 벡터장, 참 스코어, 랑주뱅 입자를 나란히 보여 줍니다.&lt;/p&gt;</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/model_density_window.py" line="53" />
      <source>No model yet: wait for the first frame of the main window.</source>
      <translation>아직 모델이 없습니다: 메인 창의 첫 프레임을 기다리세요.</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/model_density_window.py" line="107" />
      <source>scoreviz — the model's own density</source>
      <translation>scoreviz — 모델 자체의 밀도</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/model_density_window.py" line="142" />
      <location filename="../../scoreviz/gui/windows/model_density_window.py" line="322" />
      <location filename="../../scoreviz/gui/windows/model_density_window.py" line="248" />
      <source>NLL —</source>
      <translation>NLL —</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/model_density_window.py" line="157" />
      <source>Grid points per axis of the heat maps: the time grows with their number</source>
      <translation>히트맵의 축당 격자점 수: 많을수록 시간이 늘어납니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/model_density_window.py" line="159" />
      <source>Recompute</source>
      <translation>다시 계산</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/model_density_window.py" line="160" />
      <source>Take the newest weights of the main window and compute again</source>
      <translation>메인 창의 최신 가중치를 가져와 다시 계산</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/model_density_window.py" line="169" />
      <source>Stop computing (what is done so far stays)</source>
      <translation>계산 중지 (지금까지 계산한 결과는 남음)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/model_density_window.py" line="202" />
      <source>log p&lt;sub&gt;θ&lt;/sub&gt;: the model (PF-ODE)</source>
      <translation>log p&lt;sub&gt;θ&lt;/sub&gt;: 모델 (PF-ODE)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/model_density_window.py" line="254" />
      <location filename="../../scoreviz/gui/windows/model_density_window.py" line="272" />
      <source>NLL — computing…</source>
      <translation>NLL — 계산 중…</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/model_density_window.py" line="56" />
      <source>The model's own density needs a time-conditional model: choose objective sde (this model trains with {name}).</source>
      <translation>모델 자체의 밀도에는 시간 조건부 모델이 필요합니다: 목적 함수 sde를 고르세요 (이 모델은 {name}(으)로 학습합니다).</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/model_density_window.py" line="175" />
      <source>Grid:</source>
      <translation>격자:</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/model_density_window.py" line="204" />
      <source>log p&lt;sub&gt;θ&lt;/sub&gt; (model)</source>
      <translation>log p&lt;sub&gt;θ&lt;/sub&gt; (모델)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/model_density_window.py" line="205" />
      <source>log p&lt;sub&gt;ε&lt;/sub&gt;: exact (t = ε)</source>
      <translation>log p&lt;sub&gt;ε&lt;/sub&gt;: 정확한 값 (t = ε)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/model_density_window.py" line="205" />
      <source>log p&lt;sub&gt;ε&lt;/sub&gt; (exact)</source>
      <translation>log p&lt;sub&gt;ε&lt;/sub&gt; (정확)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/model_density_window.py" line="145" />
      <source>The model's negative log-likelihood E[−log p_θ] on {n:,} exact samples of p at t = ε (± its standard error), the exact E[−log p] of the same samples (the entropy: the floor) and the gap between them, an estimate of KL(p ‖ p_θ) ≥ 0</source>
      <translation>t = ε에서 p의 정확한 샘플 {n:,}개에 대한 모델의 음의 로그 가능도 E[−log p_θ] (± 표준 오차), 같은 샘플의 정확한 E[−log p] (엔트로피: 하한), 그리고 둘의 차이인 KL(p ‖ p_θ) ≥ 0의 추정값</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/model_density_window.py" line="203" />
      <source>log p&lt;sub&gt;θ&lt;/sub&gt;: the model (PF-ODE, step {step:,})</source>
      <translation>log p&lt;sub&gt;θ&lt;/sub&gt;: 모델 (PF-ODE, 스텝 {step:,})</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/model_density_window.py" line="273" />
      <source>NLL — cancelled</source>
      <translation>NLL — 취소됨</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/model_density_window.py" line="321" />
      <source>Could not compute the model's density: {reason}</source>
      <translation>모델의 밀도를 계산하지 못했습니다: {reason}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/model_density_window.py" line="84" />
      <source>the model's log p on the {n} × {n} grid</source>
      <translation>{n} × {n} 격자에서 모델의 log p</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/model_density_window.py" line="91" />
      <source>NLL on {n:,} exact samples</source>
      <translation>정확한 샘플 {n:,}개에서 NLL</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/talk_mode.py" line="31" />
      <source>Space play/pause · S step · R reset · ←/→ preset · L learned ↔ true score · A Langevin ↔ annealed · P particles · Esc leave</source>
      <translation>Space 재생/일시정지 · S 한 스텝 · R 초기화 · ←/→ 프리셋 · L 학습된 ↔ 참 스코어 · A 랑주뱅 ↔ 어닐링 · P 입자 · Esc 나가기</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/talk_mode.py" line="57" />
      <source>{n} {kind} projections</source>
      <translation>{kind} 사영 {n}개</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/talk_mode.py" line="57" />
      <source>{n} {kind} projection</source>
      <translation>{kind} 사영 {n}개</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/talk_mode.py" line="130" />
      <source>learned score s&lt;sub&gt;θ&lt;/sub&gt;</source>
      <translation>학습된 스코어 s&lt;sub&gt;θ&lt;/sub&gt;</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/talk_mode.py" line="130" />
      <source>true score ∇log p</source>
      <translation>참 스코어 ∇log p</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/talk_mode.py" line="199" />
      <source>Talk mode</source>
      <translation>발표 모드</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/talk_mode.py" line="199" />
      <source>Full screen for a talk: controls hidden, large type, a caption with the objective and its formula (Esc leaves)</source>
      <translation>발표용 전체 화면: 컨트롤을 숨기고 글자를 키우며, 목적 함수와 그 수식을 자막으로 보여 줍니다 (Esc로 나가기)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/talk_mode.py" line="202" />
      <source>Leave talk mode</source>
      <translation>발표 모드 나가기</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/talk_mode.py" line="202" />
      <source>Talk mode: back to the normal window</source>
      <translation>발표 모드: 보통 창으로 돌아갑니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/talk_mode.py" line="204" />
      <source>Reset (talk mode)</source>
      <translation>초기화 (발표 모드)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/talk_mode.py" line="204" />
      <source>Talk mode: start over with a fresh model</source>
      <translation>발표 모드: 새 모델로 처음부터 다시 시작합니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/talk_mode.py" line="206" />
      <source>Next preset</source>
      <translation>다음 프리셋</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/talk_mode.py" line="206" />
      <source>Talk mode: the next density preset</source>
      <translation>발표 모드: 다음 밀도 프리셋</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/talk_mode.py" line="208" />
      <source>Previous preset</source>
      <translation>이전 프리셋</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/talk_mode.py" line="209" />
      <source>Talk mode: the previous density preset</source>
      <translation>발표 모드: 이전 밀도 프리셋</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/talk_mode.py" line="211" />
      <source>Learned ↔ true score</source>
      <translation>학습된 ↔ 참 스코어</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/talk_mode.py" line="212" />
      <source>Talk mode: drive the particles with the learned or the true score</source>
      <translation>발표 모드: 입자를 학습된 스코어 또는 참 스코어로 움직입니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/talk_mode.py" line="214" />
      <source>Langevin ↔ annealed</source>
      <translation>랑주뱅 ↔ 어닐링</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/talk_mode.py" line="214" />
      <source>Talk mode: switch the particles' sampler</source>
      <translation>발표 모드: 입자의 샘플러를 바꿉니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/talk_mode.py" line="54" />
      <source>σ {high:g} → {low:g}, {n} levels</source>
      <translation>σ {high:g} → {low:g}, {n}단계</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/talk_mode.py" line="138" />
      <source>▶ training</source>
      <translation>▶ 학습 중</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/talk_mode.py" line="138" />
      <source>❚❚ paused</source>
      <translation>❚❚ 일시정지됨</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/talk_mode.py" line="243" />
      <source> or </source>
      <translation> 또는 </translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/talk_mode.py" line="110" />
      <source>Talk mode: {keys}</source>
      <translation>발표 모드: {keys}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/talk_mode.py" line="133" />
      <source> &amp;nbsp;·&amp;nbsp; density {density} &amp;nbsp;·&amp;nbsp; particles: {sampler}, {score}</source>
      <translation> &amp;nbsp;·&amp;nbsp; 밀도 {density} &amp;nbsp;·&amp;nbsp; 입자: {sampler}, {score}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/talk_mode.py" line="355" />
      <location filename="../../scoreviz/live/evaluator.py" line="286" />
      <source>Langevin ε = {eps:g}</source>
      <translation>랑주뱅 ε = {eps:g}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/time_axis.py" line="43" />
      <source>Earlier time</source>
      <translation>이전 시간</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/time_axis.py" line="44" />
      <source>Objective sde: move the time the fields show towards the data (t − 0.01)</source>
      <translation>목적 함수 sde: 벡터장이 보여 주는 시간을 데이터 쪽으로 옮깁니다 (t − 0.01)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/time_axis.py" line="45" />
      <source>Later time</source>
      <translation>이후 시간</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/time_axis.py" line="46" />
      <source>Objective sde: move the time the fields show towards the prior (t + 0.01)</source>
      <translation>목적 함수 sde: 벡터장이 보여 주는 시간을 사전 분포 쪽으로 옮깁니다 (t + 0.01)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/time_axis.py" line="47" />
      <source>Sweep time</source>
      <translation>시간 훑기</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/time_axis.py" line="48" />
      <source>Objective sde: play the time axis from one end to the other (again: stop)</source>
      <translation>목적 함수 sde: 시간 축을 한쪽 끝에서 다른 쪽 끝까지 재생합니다 (다시 누르면 멈춤)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/time_axis.py" line="83" />
      <source>α {a:.3f}, std {s:.3g}</source>
      <translation>α {a:.3f}, 표준편차 {s:.3g}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/window_base.py" line="183" />
      <source>Keyboard shortcuts and panels</source>
      <translation>단축키와 패널</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/window_base.py" line="198" />
      <source>Open an image as the target</source>
      <translation>이미지를 목표로 열기</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/window_base.py" line="94" />
      <source> Speed: </source>
      <translation> 속도: </translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/window_base.py" line="154" />
      <source>wheel / drag</source>
      <translation>휠 / 드래그</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/window_base.py" line="154" />
      <source>zoom / pan (all panels together)</source>
      <translation>확대·축소 / 이동 (모든 패널 함께)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/window_base.py" line="155" />
      <source>Other keys</source>
      <translation>기타 키</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/window_base.py" line="168" />
      <source>Metrics</source>
      <translation>지표</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/window_base.py" line="267" />
      <source>{n} Gaussians painted</source>
      <translation>가우시안 {n}개 그림</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/window_base.py" line="267" />
      <source>{n} Gaussian painted</source>
      <translation>가우시안 {n}개 그림</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/window_base.py" line="272" />
      <source>Canvas empty: the target stays as it was until you paint</source>
      <translation>캔버스가 비어 있습니다: 칠하기 전까지 목표는 그대로입니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/gui/windows/window_base.py" line="275" />
      <source>drawing ({n} Gaussians)</source>
      <translation>그림 (가우시안 {n}개)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/bounded_json.py" line="33" />
      <source>{n} bytes</source>
      <translation>{n}바이트</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/bounded_json.py" line="30" />
      <source>{n} bytes ({size} MiB)</source>
      <translation>{n}바이트 ({size} MiB)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/bounded_json.py" line="32" />
      <source>{n} bytes ({size} KiB)</source>
      <translation>{n}바이트 ({size} KiB)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/bounded_json.py" line="49" />
      <source>{what} is {size}; at most {most}</source>
      <translation>{what}의 크기가 {size}입니다. 최대 {most}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/bounded_json.py" line="58" />
      <source>{what} holds {n} lists or objects; at most {most} (refused before it is parsed)</source>
      <translation>{what}에 리스트나 객체가 {n}개 있습니다. 최대 {most}개 (파싱하기 전에 거부함)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/bounded_json.py" line="47" />
      <source>{what} is {size}; at most {most} ({why})</source>
      <translation>{what}의 크기가 {size}입니다. 최대 {most} ({why})</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/bounded_json.py" line="63" />
      <source>{what} holds {n} values; at most {most} (refused before it is parsed)</source>
      <translation>{what}에 값이 {n}개 있습니다. 최대 {most}개 (파싱하기 전에 거부함)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/densities.py" line="395" />
      <location filename="../../scoreviz/core/densities.py" line="407" />
      <source>density file '{name}' not found</source>
      <translation>밀도 파일 '{name}'을(를) 찾을 수 없습니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/densities.py" line="397" />
      <location filename="../../scoreviz/core/densities.py" line="409" />
      <source>density file '{name}' is a folder</source>
      <translation>밀도 파일 '{name}'은(는) 폴더입니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/densities.py" line="399" />
      <source>cannot read density file '{name}': not a regular file</source>
      <translation>밀도 파일 '{name}'을(를) 읽을 수 없습니다: 일반 파일이 아닙니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/densities.py" line="411" />
      <source>cannot read density file '{name}': {reason}</source>
      <translation>밀도 파일 '{name}'을(를) 읽을 수 없습니다: {reason}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/densities.py" line="417" />
      <source>density file '{name}' is not UTF-8 text</source>
      <translation>밀도 파일 '{name}'은(는) UTF-8 텍스트가 아닙니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/densities.py" line="419" />
      <source>density file '{name}' is not valid JSON: {error} at line {line} column {column}</source>
      <translation>밀도 파일 '{name}'은(는) 올바른 JSON이 아닙니다: {line}행 {column}열에서 {error}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/densities.py" line="422" />
      <location filename="../../scoreviz/core/densities.py" line="431" />
      <source>density file '{name}': {error}</source>
      <translation>밀도 파일 '{name}': {error}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/densities.py" line="424" />
      <source>density file '{name}' is nested too deeply</source>
      <translation>밀도 파일 '{name}'은(는) 중첩이 너무 깊습니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/densities.py" line="426" />
      <source>density file '{name}' is not a readable density ({error})</source>
      <translation>밀도 파일 '{name}'은(는) 읽을 수 있는 밀도가 아닙니다 ({error})</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/expressions.py" line="111" />
      <source>expression: {reason}</source>
      <translation>수식: {reason}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/expressions.py" line="188" />
      <source>{kind} {what} is not allowed</source>
      <translation>{kind} {what}은(는) 허용되지 않습니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/expressions.py" line="239" />
      <source>{what} is not allowed</source>
      <translation>{what}은(는) 허용되지 않습니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/expressions.py" line="124" />
      <source>{value} is not text</source>
      <translation>{value}은(는) 텍스트가 아닙니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/expressions.py" line="126" />
      <source>too long ({n} characters; at most {most})</source>
      <translation>너무 깁니다 ({n}자, 최대 {most}자)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/expressions.py" line="128" />
      <source>empty; type a log-density in x and y, e.g. -(x**2 + y**2)/2</source>
      <translation>비어 있습니다. x와 y에 대한 로그 밀도를 입력하세요. 예: -(x**2 + y**2)/2</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/expressions.py" line="137" />
      <source>nested too deeply ({n} levels of brackets; at most {most})</source>
      <translation>중첩이 너무 깊습니다 (괄호 {n}단계, 최대 {most}단계)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/expressions.py" line="289" />
      <source>{expression} is +inf at x={x}, y={y}; a log-density must be finite</source>
      <translation>{expression}은(는) x={x}, y={y}에서 +inf입니다. 로그 밀도는 유한해야 합니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/expressions.py" line="293" />
      <source>{expression} is -inf or NaN everywhere in the box {box}; nothing to sample</source>
      <translation>{expression}은(는) 영역 {box} 전체에서 -inf 또는 NaN입니다. 샘플링할 것이 없습니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/expressions.py" line="145" />
      <source>nested too deeply (more than {most} levels)</source>
      <translation>중첩이 너무 깊습니다 ({most}단계 초과)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/expressions.py" line="155" />
      <source>constant {what} is not allowed; only real numbers</source>
      <translation>상수 {what}은(는) 허용되지 않습니다. 실수만 쓸 수 있습니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/expressions.py" line="159" />
      <source>name {name} is not allowed; use x, y, pi, e</source>
      <translation>이름 {name}은(는) 허용되지 않습니다. x, y, pi, e를 쓰세요</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/expressions.py" line="163" />
      <location filename="../../scoreviz/core/expressions.py" line="167" />
      <source>operator in {what} is not allowed; use + - * / **</source>
      <translation>{what}의 연산자는 허용되지 않습니다. + - * / **를 쓰세요</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/expressions.py" line="171" />
      <source>call {what} is not allowed; call a function by name: {functions}</source>
      <translation>호출 {what}은(는) 허용되지 않습니다. 함수는 이름으로 호출하세요: {functions}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/expressions.py" line="175" />
      <source>function {name} is not allowed; allowed functions: {functions}</source>
      <translation>함수 {name}은(는) 허용되지 않습니다. 허용되는 함수: {functions}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/expressions.py" line="178" />
      <source>keyword or starred arguments in {what} are not allowed</source>
      <translation>{what}의 키워드 인수나 별표 인수는 허용되지 않습니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/expressions.py" line="199" />
      <source>number {what} is too large</source>
      <translation>수 {what}이(가) 너무 큽니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/expressions.py" line="252" />
      <source>syntax error: {error}</source>
      <translation>구문 오류: {error}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/expressions.py" line="254" />
      <source>cannot be parsed ({error})</source>
      <translation>해석할 수 없습니다 ({error})</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/expressions.py" line="181" />
      <source>function {name} takes {n} arguments, got {got}</source>
      <translation>함수 {name}은(는) 인수 {n}개를 받는데 {got}개가 주어졌습니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/expressions.py" line="182" />
      <source>function {name} takes {n} argument, got {got}</source>
      <translation>함수 {name}은(는) 인수 {n}개를 받는데 {got}개가 주어졌습니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/expressions.py" line="227" />
      <source>power {what} has an absurd exponent; |exponent| must be &lt;= {most}</source>
      <translation>거듭제곱 {what}의 지수가 터무니없습니다. |지수|는 {most} 이하여야 합니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/expressions.py" line="251" />
      <source>syntax error at column {column}: {error}</source>
      <translation>{column}열에서 구문 오류: {error}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/generation.py" line="30" />
      <source>Reverse-time SDE (Euler–Maruyama) from the prior at t = 1 to the data at t = ε</source>
      <translation>역방향 SDE (오일러–마루야마): t = 1의 사전 분포에서 t = ε의 데이터로</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/generation.py" line="31" />
      <source>Probability-flow ODE (Euler or Heun) from the prior: deterministic, same marginals</source>
      <translation>확률 흐름 ODE (오일러 또는 Heun), 사전 분포에서 시작: 결정론적이며 주변 분포는 같다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/generation.py" line="32" />
      <source>Predictor–corrector: reverse-diffusion step + Langevin corrector at signal-to-noise ratio r</source>
      <translation>예측–보정: 역확산 단계 + 신호 대 잡음비 r의 랑주뱅 보정</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/generation.py" line="33" />
      <source>The forward process: data noised to the time t the fields show (move t to watch)</source>
      <translation>순방향 과정: 필드가 보여 주는 시간 t까지 노이즈가 더해진 데이터 (t를 움직여 보세요)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/generation.py" line="41" />
      <source>sampler {sampler} needs a process: choose objective sde</source>
      <translation>샘플러 {sampler}에는 확산 과정이 필요합니다: 목적 함수 sde를 선택하세요</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/generation.py" line="126" />
      <source>{name} {index}/{steps}, t = {t:.3g}</source>
      <translation>{name} {index}/{steps}, t = {t:.3g}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/generation.py" line="118" />
      <source>forward, t = {t:.3g}</source>
      <translation>순방향, t = {t:.3g}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/generation.py" line="124" />
      <source>{name} done ({steps} steps, NFE {nfe}) · P: again</source>
      <translation>{name} 완료 ({steps} 스텝, NFE {nfe}) · P: 다시</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/generation.py" line="117" />
      <source>forward</source>
      <translation>순방향</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/images.py" line="167" />
      <location filename="../../scoreviz/core/images.py" line="217" />
      <location filename="../../scoreviz/core/images.py" line="203" />
      <source>cannot read image '{name}': {reason}</source>
      <translation>이미지 '{name}'을(를) 읽을 수 없습니다: {reason}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/images.py" line="177" />
      <source>no such file</source>
      <translation>파일이 없습니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/images.py" line="179" />
      <source>it is a folder</source>
      <translation>폴더입니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/images.py" line="181" />
      <source>not a regular file (a pipe, device or socket)</source>
      <translation>일반 파일이 아닙니다 (파이프, 장치 또는 소켓)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/images.py" line="183" />
      <source>the file cannot be opened</source>
      <translation>파일을 열 수 없습니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/images.py" line="186" />
      <source>an image's name must end in {suffixes}</source>
      <translation>이미지 이름은 {suffixes} 중 하나로 끝나야 합니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/images.py" line="222" />
      <source>empty image</source>
      <translation>빈 이미지입니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/images.py" line="224" />
      <source>the file is corrupt (non-finite pixels)</source>
      <translation>파일이 손상되었습니다 (유한하지 않은 픽셀)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/images.py" line="211" />
      <source>not a PNG/JPEG image or the file is corrupt</source>
      <translation>PNG/JPEG 이미지가 아니거나 파일이 손상되었습니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/images.py" line="213" />
      <source>the image is too large; at most 8192 x 8192 pixels</source>
      <translation>이미지가 너무 큽니다. 최대 8192 x 8192 픽셀</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/images.py" line="215" />
      <source>not enough memory to decode it</source>
      <translation>디코딩할 메모리가 부족합니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/images.py" line="220" />
      <source>the file is corrupt ({error})</source>
      <translation>파일이 손상되었습니다 ({error})</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/images.py" line="193" />
      <source>the file holds a {found} image, not the {claimed} its name says; only the format a file's name gives is read</source>
      <translation>파일에 든 것은 이름이 말하는 {claimed}이(가) 아니라 {found} 이미지입니다. 파일 이름이 나타내는 형식만 읽습니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/images.py" line="197" />
      <source>empty image ({w} x {h} pixels)</source>
      <translation>빈 이미지입니다 ({w} x {h} 픽셀)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/images.py" line="199" />
      <source>{w} x {h} pixels is too large; at most {most} million pixels (8192 x 8192)</source>
      <translation>{w} x {h} 픽셀은 너무 큽니다. 최대 {most}백만 픽셀 (8192 x 8192)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/lesson.py" line="358" />
      <source>a list</source>
      <translation>리스트</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/lesson.py" line="358" />
      <source>an object</source>
      <translation>객체</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/lesson.py" line="358" />
      <source>text</source>
      <translation>텍스트</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/lesson.py" line="358" />
      <source>true/false</source>
      <translation>참/거짓(true/false)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/lesson.py" line="276" />
      <source>the file</source>
      <translation>파일</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/lesson.py" line="327" />
      <source>a lesson is a JSON object with "scoreviz_lesson": {format} and "scenes"; this is {kind}</source>
      <translation>레슨은 "scoreviz_lesson": {format}과 "scenes"를 가진 JSON 객체입니다. 이것은 {kind}입니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/lesson.py" line="331" />
      <source>not a scoreviz lesson: "scoreviz_lesson": {format} is missing</source>
      <translation>scoreviz 레슨이 아닙니다: "scoreviz_lesson": {format}이(가) 없습니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/lesson.py" line="334" />
      <source>scoreviz_lesson {value} is not a format this scoreviz reads; use {format}</source>
      <translation>scoreviz_lesson {value}은(는) 이 scoreviz가 읽는 형식이 아닙니다. {format}을(를) 쓰세요</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/lesson.py" line="343" />
      <source>scenes must be a list of scene objects, not {kind}</source>
      <translation>scenes는 {kind}이(가) 아니라 장면 객체의 리스트여야 합니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/lesson.py" line="345" />
      <source>a lesson has 1..{most} scenes; this one has {n}</source>
      <translation>레슨의 장면은 1..{most}개입니다. 이 레슨에는 {n}개가 있습니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/lesson.py" line="359" />
      <source>a number</source>
      <translation>수</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/lesson.py" line="185" />
      <source>scene {n} is not in this lesson; it has scenes 1..{last}</source>
      <translation>장면 {n}은(는) 이 레슨에 없습니다. 장면은 1..{last}입니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/lesson.py" line="293" />
      <location filename="../../scoreviz/core/session_file.py" line="154" />
      <source>'{name}': {error}</source>
      <translation>'{name}': {error}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/lesson.py" line="295" />
      <source>'{name}': cannot be read ({reason})</source>
      <translation>'{name}': 읽을 수 없습니다 ({reason})</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/lesson.py" line="322" />
      <source>a value in the lesson is nested too deeply</source>
      <translation>레슨의 값 하나가 너무 깊이 중첩되어 있습니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/lesson.py" line="338" />
      <source>lesson key "{key}" is missing</source>
      <translation>레슨 키 "{key}"이(가) 없습니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/lesson.py" line="397" />
      <source>scene key "{key}" is missing</source>
      <translation>장면 키 "{key}"이(가) 없습니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/lesson.py" line="275" />
      <source>lesson is not a readable file</source>
      <translation>레슨이 읽을 수 있는 파일이 아닙니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/lesson.py" line="285" />
      <source>not a scoreviz lesson: the file is not UTF-8 text</source>
      <translation>scoreviz 레슨이 아닙니다: 파일이 UTF-8 텍스트가 아닙니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/lesson.py" line="287" />
      <source>not a scoreviz lesson: not JSON ({error} at line {line}, column {column})</source>
      <translation>scoreviz 레슨이 아닙니다: JSON이 아닙니다 ({line}행 {column}열에서 {error})</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/lesson.py" line="290" />
      <source>not a scoreviz lesson: nested too deeply</source>
      <translation>scoreviz 레슨이 아닙니다: 중첩이 너무 깊습니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/lesson.py" line="352" />
      <source>scene {n}: {error}</source>
      <translation>장면 {n}: {error}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/lesson.py" line="274" />
      <source>lesson does not exist</source>
      <translation>레슨이 없습니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/lesson.py" line="274" />
      <source>lesson is a folder</source>
      <translation>레슨이 폴더입니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/limits.py" line="344" />
      <source>{n} parameters</source>
      <translation>매개변수 {n}개</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/limits.py" line="344" />
      <source>{n} multiply-adds</source>
      <translation>곱셈-덧셈 {n}회</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/limits.py" line="177" />
      <location filename="../../scoreviz/core/limits.py" line="168" />
      <source>{label}={value} must be a number; allowed {range}</source>
      <translation>{label}={value}: 수여야 합니다. 허용 범위 {range}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/limits.py" line="183" />
      <source>{label}={value} must be a finite number; allowed {range}</source>
      <translation>{label}={value}: 유한한 수여야 합니다. 허용 범위 {range}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/limits.py" line="185" />
      <location filename="../../scoreviz/core/limits.py" line="174" />
      <location filename="../../scoreviz/core/limits.py" line="181" />
      <source>{label}={value} is out of range; allowed {range}</source>
      <translation>{label}={value}: 범위를 벗어났습니다. 허용 범위 {range}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/limits.py" line="339" />
      <source>this configuration needs {amount} {what} ({made}); the most allowed is {most}: lower {lower}</source>
      <translation>이 구성에는 {what} {amount}이(가) 필요합니다 ({made}). 허용되는 최대치는 {most}입니다: {lower}을(를) 줄이세요</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/limits.py" line="351" />
      <source>{n} MB of memory</source>
      <translation>메모리 {n} MB</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/limits.py" line="167" />
      <location filename="../../scoreviz/core/limits.py" line="171" />
      <source>{label}={value} must be a whole number; allowed {range}</source>
      <translation>{label}={value}: 정수여야 합니다. 허용 범위 {range}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/limits.py" line="288" />
      <source>in the network</source>
      <translation>네트워크에</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/limits.py" line="290" />
      <location filename="../../scoreviz/core/limits.py" line="291" />
      <source>per training step</source>
      <translation>학습 스텝당</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/limits.py" line="292" />
      <source>per field on the grid</source>
      <translation>격자 위 필드당</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/limits.py" line="293" />
      <source>per sampler frame</source>
      <translation>샘플러 프레임당</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/limits.py" line="294" />
      <source>per sampler step</source>
      <translation>샘플러 스텝당</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/limits.py" line="295" />
      <source>per Fisher estimate</source>
      <translation>피셔 추정 한 번당</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/limits.py" line="296" />
      <source>per chunk of points scored together (a field, a Fisher estimate)</source>
      <translation>함께 스코어를 계산하는 점 묶음당 (필드, 피셔 추정)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/limits.py" line="335" />
      <source>{names} or {last}</source>
      <translation>{names} 또는 {last}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/limits.py" line="350" />
      <source>{n} GB of memory</source>
      <translation>메모리 {n} GB</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/objectives.py" line="255" />
      <source>explicit score matching: regress the true score (known here)</source>
      <translation>명시적 스코어 매칭: 참 스코어(여기서는 알려져 있음)를 회귀</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/objectives.py" line="257" />
      <source>implicit score matching (Hyvärinen): exact Jacobian trace, no true score needed</source>
      <translation>암묵적 스코어 매칭 (Hyvärinen): 야코비안 대각합을 정확히 계산, 참 스코어 불필요</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/objectives.py" line="259" />
      <source>sliced score matching: random projections replace the trace</source>
      <translation>슬라이스 스코어 매칭: 무작위 사영이 대각합을 대신한다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/objectives.py" line="261" />
      <source>sliced score matching, variance reduced</source>
      <translation>슬라이스 스코어 매칭, 분산 감소형</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/objectives.py" line="263" />
      <source>denoising score matching (Vincent): learns the score of p_σ</source>
      <translation>디노이징 스코어 매칭 (Vincent): p_σ의 스코어를 배운다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/objectives.py" line="265" />
      <source>multi-level denoising (Song &amp; Ermon): noise-conditional s_θ(x, σ)</source>
      <translation>다단계 디노이징 (Song &amp; Ermon): 노이즈 조건부 s_θ(x, σ)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/objectives.py" line="268" />
      <source>continuous-time denoising (Song et al. 2021): time-conditional s_θ(x, t) = net(x, t)/std(t); process ve (σ_min, σ_max), vp or subvp (β_min, β_max)</source>
      <translation>연속 시간 디노이징 (Song et al. 2021): 시간 조건부 s_θ(x, t) = net(x, t)/std(t); 과정 ve (σ_min, σ_max), vp 또는 subvp (β_min, β_max)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/samplers.py" line="113" />
      <source>annealed Langevin needs the score at every noise level: the learned model is not noise-conditional (train with objective ncsn or sde, or use the true score)</source>
      <translation>어닐링 랑주뱅에는 모든 노이즈 수준의 스코어가 필요합니다: 학습된 모델이 노이즈 조건부가 아닙니다 (목적 함수 ncsn 또는 sde로 학습하거나 참 스코어를 쓰세요)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/sde.py" line="41" />
      <source>variance exploding: x_t = x_0 + σ(t)z, σ(t) = σ_min(σ_max/σ_min)^t; prior N(0, σ_max²I)</source>
      <translation>분산 폭발(VE): x_t = x_0 + σ(t)z, σ(t) = σ_min(σ_max/σ_min)^t; 사전 분포 N(0, σ_max²I)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/sde.py" line="42" />
      <source>variance preserving: x_t = α(t)x_0 + √(1−α²)z, β(t) linear in t; prior N(0, I)</source>
      <translation>분산 보존(VP): x_t = α(t)x_0 + √(1−α²)z, β(t)는 t에 선형; 사전 분포 N(0, I)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/sde.py" line="43" />
      <source>sub-VP: mean α(t)x_0, std 1 − α(t)², β(t) linear in t; prior N(0, I)</source>
      <translation>sub-VP: 평균 α(t)x_0, 표준편차 1 − α(t)², β(t)는 t에 선형; 사전 분포 N(0, I)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/session.py" line="323" />
      <source>objective {name}: training continues from the current model</source>
      <translation>목적 함수 {name}: 현재 모델에서 학습이 이어집니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/session.py" line="321" />
      <source>objective {name}: model reset ({changes})</source>
      <translation>목적 함수 {name}: 모델 초기화 ({changes})</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/session.py" line="317" />
      <source>noise conditioning on</source>
      <translation>노이즈 조건부 켬</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/session.py" line="317" />
      <source>noise conditioning off</source>
      <translation>노이즈 조건부 끔</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/session.py" line="319" />
      <source>time conditioning on</source>
      <translation>시간 조건부 켬</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/session.py" line="319" />
      <source>time conditioning off</source>
      <translation>시간 조건부 끔</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/session_file.py" line="159" />
      <source>'{name}' is a damaged scoreviz session: {reason}</source>
      <translation>'{name}'은(는) 손상된 scoreviz 세션입니다: {reason}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/session_file.py" line="156" />
      <source>'{name}' is a damaged scoreviz session: {key} is missing</source>
      <translation>'{name}'은(는) 손상된 scoreviz 세션입니다: {key}이(가) 없습니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/session_file.py" line="223" />
      <location filename="../../scoreviz/core/session_file.py" line="257" />
      <source>session file '{path}' does not exist</source>
      <translation>세션 파일 '{path}'이(가) 없습니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/session_file.py" line="225" />
      <source>session file '{path}' is a folder</source>
      <translation>세션 파일 '{path}'은(는) 폴더입니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/session_file.py" line="227" />
      <source>'{name}' cannot be read as a scoreviz session (not a regular file)</source>
      <translation>'{name}'을(를) scoreviz 세션으로 읽을 수 없습니다 (일반 파일이 아님)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/session_file.py" line="254" />
      <source>'{name}' is not a readable scoreviz session (an array is damaged)</source>
      <translation>'{name}'은(는) 읽을 수 있는 scoreviz 세션이 아닙니다 (배열이 손상됨)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/session_file.py" line="261" />
      <source>'{name}' is not a readable scoreviz session (nested too deeply)</source>
      <translation>'{name}'은(는) 읽을 수 있는 scoreviz 세션이 아닙니다 (중첩이 너무 깊음)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/session_file.py" line="264" />
      <source>'{name}' is not a readable scoreviz session (too large for memory)</source>
      <translation>'{name}'은(는) 읽을 수 있는 scoreviz 세션이 아닙니다 (메모리에 담기에 너무 큼)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/session_file.py" line="269" />
      <source>'{name}' is not a readable scoreviz session ({error})</source>
      <translation>'{name}'은(는) 읽을 수 있는 scoreviz 세션이 아닙니다 ({error})</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/session_file.py" line="232" />
      <source>'{name}' is not a scoreviz session (unexpected contents)</source>
      <translation>'{name}'은(는) scoreviz 세션이 아닙니다 (예상하지 못한 내용)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/session_file.py" line="239" />
      <source>'{name}' is not a scoreviz session file (format {format})</source>
      <translation>'{name}'은(는) scoreviz 세션 파일(형식 {format})이 아닙니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/toys.py" line="273" />
      <source>one correlated Gaussian N(mu, C)</source>
      <translation>상관된 가우시안 하나 N(mu, C)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/toys.py" line="280" />
      <source>Song &amp; Ermon's toy: 1/5 N((-5,-5), I) + 4/5 N((5,5), I)</source>
      <translation>Song &amp; Ermon의 예제: 1/5 N((-5,-5), I) + 4/5 N((5,5), I)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/toys.py" line="285" />
      <source>Gaussians on a circle: centres 4(cos, sin)(2 pi k/8), std 0.5, all / 1.414</source>
      <translation>원 위의 가우시안들: 중심 4(cos, sin)(2 pi k/8), 표준편차 0.5, 전체를 1.414로 나눔</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/toys.py" line="291" />
      <source>every other square of a board, edges blurred by a small Gaussian</source>
      <translation>체스판의 한 칸 건너 한 칸, 경계는 작은 가우시안으로 흐림</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/toys.py" line="296" />
      <source>two interleaving half circles</source>
      <translation>서로 맞물린 두 반원</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/toys.py" line="300" />
      <source>two concentric circles</source>
      <translation>두 동심원</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/toys.py" line="305" />
      <source>concentric rings of radii 1, 3/4, 1/2, 1/4</source>
      <translation>반지름 1, 3/4, 1/2, 1/4의 동심 고리</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/toys.py" line="310" />
      <source>the swiss roll (t cos t, t sin t), t in [1.5 pi, 4.5 pi]</source>
      <translation>스위스 롤 (t cos t, t sin t), t는 [1.5 pi, 4.5 pi]</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/toys.py" line="314" />
      <source>two interleaved spirals</source>
      <translation>서로 얽힌 두 나선</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/toys.py" line="319" />
      <source>curved arms of a pinwheel</source>
      <translation>바람개비의 휘어진 팔</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/toys.py" line="326" />
      <source>a bent Gaussian: x2 | x1 ~ N(curvature x1^2 + offset, noise^2), x1 ~ N(0, std_x^2)</source>
      <translation>휘어진 가우시안: x2 | x1 ~ N(curvature x1^2 + offset, noise^2), x1 ~ N(0, std_x^2)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/toys.py" line="274" />
      <source>mean, x coordinate</source>
      <translation>평균, x 좌표</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/toys.py" line="275" />
      <source>mean, y coordinate</source>
      <translation>평균, y 좌표</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/toys.py" line="276" />
      <source>standard deviation along x</source>
      <translation>x 방향 표준편차</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/toys.py" line="277" />
      <source>standard deviation along y</source>
      <translation>y 방향 표준편차</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/toys.py" line="278" />
      <source>correlation between x and y</source>
      <translation>x와 y의 상관계수</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/toys.py" line="281" />
      <source>weight of the mode at (-offset, -offset); the other gets 1 - weight</source>
      <translation>(-offset, -offset)에 있는 모드의 가중치; 다른 모드는 1 - weight</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/toys.py" line="282" />
      <source>modes at (-offset, -offset) and (offset, offset)</source>
      <translation>모드는 (-offset, -offset)과 (offset, offset)에</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/toys.py" line="283" />
      <source>standard deviation of each mode</source>
      <translation>각 모드의 표준편차</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/toys.py" line="286" />
      <source>number of Gaussians</source>
      <translation>가우시안 개수</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/toys.py" line="287" />
      <source>circle radius (before scaling)</source>
      <translation>원의 반지름 (배율 적용 전)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/toys.py" line="288" />
      <source>standard deviation of each Gaussian (before scaling)</source>
      <translation>각 가우시안의 표준편차 (배율 적용 전)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/toys.py" line="289" />
      <source>overall scale factor (1/1.414)</source>
      <translation>전체 배율 (1/1.414)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/toys.py" line="292" />
      <source>squares per side</source>
      <translation>한 변의 칸 수</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/toys.py" line="293" />
      <source>side of one square</source>
      <translation>한 칸의 변 길이</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/toys.py" line="294" />
      <source>std of the Gaussian blur of the edges</source>
      <translation>경계를 흐리는 가우시안의 표준편차</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/toys.py" line="297" />
      <source>noise std across the curves (before scaling)</source>
      <translation>곡선을 가로지르는 노이즈 표준편차 (배율 적용 전)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/toys.py" line="298" />
      <location filename="../../scoreviz/core/toys.py" line="324" />
      <source>overall scale factor</source>
      <translation>전체 배율</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/toys.py" line="301" />
      <source>noise std across the circles (before scaling)</source>
      <translation>원을 가로지르는 노이즈 표준편차 (배율 적용 전)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/toys.py" line="302" />
      <location filename="../../scoreviz/core/toys.py" line="308" />
      <source>overall scale factor (outer radius)</source>
      <translation>전체 배율 (바깥 반지름)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/toys.py" line="303" />
      <source>inner radius / outer radius</source>
      <translation>안쪽 반지름 / 바깥 반지름</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/toys.py" line="306" />
      <source>number of rings</source>
      <translation>고리 개수</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/toys.py" line="307" />
      <source>noise std across the rings (after scaling)</source>
      <translation>고리를 가로지르는 노이즈 표준편차 (배율 적용 후)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/toys.py" line="311" />
      <source>noise std across the roll (before scaling)</source>
      <translation>롤을 가로지르는 노이즈 표준편차 (배율 적용 전)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/toys.py" line="312" />
      <source>overall scale factor (1/5)</source>
      <translation>전체 배율 (1/5)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/toys.py" line="315" />
      <source>noise std (after scaling)</source>
      <translation>노이즈 표준편차 (배율 적용 후)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/toys.py" line="316" />
      <source>overall scale factor (1/3)</source>
      <translation>전체 배율 (1/3)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/toys.py" line="317" />
      <source>turns of each spiral (1.5 = 540 degrees)</source>
      <translation>각 나선의 회전 수 (1.5 = 540도)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/toys.py" line="320" />
      <source>number of arms</source>
      <translation>팔의 개수</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/toys.py" line="321" />
      <source>std along each arm (before scaling)</source>
      <translation>각 팔을 따라가는 표준편차 (배율 적용 전)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/toys.py" line="322" />
      <source>std across each arm (before scaling)</source>
      <translation>각 팔을 가로지르는 표준편차 (배율 적용 전)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/toys.py" line="323" />
      <source>how fast the arms curl: angle += rate exp(f1)</source>
      <translation>팔이 감기는 빠르기: angle += rate exp(f1)</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/toys.py" line="327" />
      <source>std of x1</source>
      <translation>x1의 표준편차</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/toys.py" line="328" />
      <source>b in x2 = b x1^2 + c</source>
      <translation>x2 = b x1^2 + c의 b</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/toys.py" line="329" />
      <source>c in x2 = b x1^2 + c</source>
      <translation>x2 = b x1^2 + c의 c</translation>
    </message>
    <message>
      <location filename="../../scoreviz/core/toys.py" line="330" />
      <source>std of x2 around the parabola</source>
      <translation>포물선 주위 x2의 표준편차</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/compare_trainer.py" line="115" />
      <location filename="../../scoreviz/live/compare_trainer.py" line="187" />
      <source>no comparison yet: choose a density that loads</source>
      <translation>아직 비교가 없습니다: 불러올 수 있는 밀도를 고르세요</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/compare_trainer.py" line="117" />
      <source>{reason} — press Reset to start over</source>
      <translation>{reason} — 처음부터 다시 하려면 초기화를 누르세요</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/compare_trainer.py" line="139" />
      <source>reset: fresh models from the seed for every configuration; step 0</source>
      <translation>초기화: 모든 구성을 시드로 새 모델에서 시작, 스텝 0</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/compare_trainer.py" line="149" />
      <source>density {name}: every configuration starts over from the seed</source>
      <translation>밀도 {name}: 모든 구성이 시드로 처음부터 다시 시작합니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/compare_trainer.py" line="154" />
      <source>comparing {labels}: fresh models from the seed, step 0</source>
      <translation>{labels} 비교: 시드로 새 모델, 스텝 0</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/compare_trainer.py" line="159" />
      <source>seed {seed}: fresh models for every configuration, step 0</source>
      <translation>시드 {seed}: 모든 구성에 새 모델, 스텝 0</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/compare_trainer.py" line="227" />
      <source>{what} diverged at step {step} (loss {loss})</source>
      <translation>{what}: 스텝 {step}에서 발산 (손실 {loss})</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/compare_trainer.py" line="132" />
      <source>one step: step {step}</source>
      <translation>한 스텝: 스텝 {step}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/compare_trainer.py" line="230" />
      <source>{what} stopped at step {step} after the others stepped</source>
      <translation>{what}: 다른 구성이 진행한 뒤 스텝 {step}에서 멈춤</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/compare_trainer.py" line="232" />
      <source>{what} stopped at step {step}: {error} — the other configurations went on, so the comparison is out of step: press Reset to start over.</source>
      <translation>{what}: 스텝 {step}에서 멈췄습니다: {error} — 다른 구성은 계속 진행해서 비교의 스텝이 어긋났습니다. 처음부터 다시 하려면 초기화를 누르세요.</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/evaluator.py" line="289" />
      <source>annealed {level}/{levels}, σ = {sigma:.3g}</source>
      <translation>어닐링 {level}/{levels}, σ = {sigma:.3g}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/faults.py" line="64" />
      <source>training</source>
      <translation>학습</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/faults.py" line="64" />
      <source>dynamics</source>
      <translation>동역학</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/faults.py" line="64" />
      <source>building the model</source>
      <translation>모델 만들기</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/faults.py" line="64" />
      <source>publishing the model</source>
      <translation>모델 전달</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/faults.py" line="65" />
      <source>building the comparison</source>
      <translation>비교 만들기</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/faults.py" line="65" />
      <source>publishing the models</source>
      <translation>모델 전달</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/faults.py" line="66" />
      <source>the play change</source>
      <translation>재생 변경</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/faults.py" line="66" />
      <source>the pause change</source>
      <translation>일시정지 변경</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/faults.py" line="66" />
      <source>the step change</source>
      <translation>스텝 변경</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/faults.py" line="66" />
      <source>the reset change</source>
      <translation>초기화 변경</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/faults.py" line="67" />
      <source>the warm up change</source>
      <translation>예열 변경</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/faults.py" line="67" />
      <source>the speed change</source>
      <translation>속도 변경</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/faults.py" line="67" />
      <source>the density change</source>
      <translation>밀도 변경</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/faults.py" line="67" />
      <source>the objective change</source>
      <translation>목적 함수 변경</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/faults.py" line="68" />
      <source>the model change</source>
      <translation>모델 변경</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/faults.py" line="68" />
      <source>the optimizer change</source>
      <translation>옵티마이저 변경</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/faults.py" line="68" />
      <source>the sampler change</source>
      <translation>샘플러 변경</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/faults.py" line="69" />
      <source>the reset particles change</source>
      <translation>입자 초기화 변경</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/faults.py" line="69" />
      <source>the device change</source>
      <translation>장치 변경</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/faults.py" line="69" />
      <source>the seed change</source>
      <translation>시드 변경</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/faults.py" line="69" />
      <source>the rebuild change</source>
      <translation>재구성 변경</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/faults.py" line="70" />
      <source>the load change</source>
      <translation>불러오기 변경</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/faults.py" line="70" />
      <source>the call change</source>
      <translation>호출 변경</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/faults.py" line="70" />
      <source>the configs change</source>
      <translation>구성 변경</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/faults.py" line="70" />
      <source>the eval every change</source>
      <translation>평가 간격 변경</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/faults.py" line="71" />
      <source>the figure change</source>
      <translation>그림 변경</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/faults.py" line="71" />
      <source>the summary change</source>
      <translation>요약 변경</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/faults.py" line="143" />
      <source>{what} stopped at step {step}: {error} — paused. Press Play to try again, or Reset to start over.</source>
      <translation>{what}: 스텝 {step}에서 멈췄습니다: {error} — 일시정지했습니다. 다시 시도하려면 재생을, 처음부터 다시 하려면 초기화를 누르세요.</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/faults.py" line="145" />
      <source>{what} failed: {error} — paused. Press Play to try again, or Reset to start over.</source>
      <translation>{what} 실패: {error} — 일시정지했습니다. 다시 시도하려면 재생을, 처음부터 다시 하려면 초기화를 누르세요.</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/faults.py" line="164" />
      <source>display: {error}</source>
      <translation>표시: {error}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/faults.py" line="117" />
      <source>{what} diverged at step {step} (loss {loss}) — paused. Press Reset to start over; a lower learning rate keeps it from diverging again.</source>
      <translation>{what}: 스텝 {step}에서 발산했습니다 (손실 {loss}) — 일시정지했습니다. 처음부터 다시 하려면 초기화를 누르세요. 학습률을 낮추면 다시 발산하지 않습니다.</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/faults.py" line="138" />
      <source>{what} stopped at step {step} on the GPU: {error} — paused. Continue on the CPU, or press Reset to try the GPU again.</source>
      <translation>{what}: 스텝 {step}에서 GPU 오류로 멈췄습니다: {error} — 일시정지했습니다. CPU에서 계속하거나, 초기화를 눌러 GPU로 다시 시도하세요.</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/faults.py" line="140" />
      <source>{what} failed on the GPU: {error} — paused. Continue on the CPU, or press Reset to try the GPU again.</source>
      <translation>{what}: GPU 오류로 실패했습니다: {error} — 일시정지했습니다. CPU에서 계속하거나, 초기화를 눌러 GPU로 다시 시도하세요.</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/faults.py" line="160" />
      <source>display: out of memory — fewer particles or a coarser arrow grid help</source>
      <translation>표시: 메모리 부족 — 입자 수를 줄이거나 화살표 격자를 성기게 하세요</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/faults.py" line="162" />
      <source>display: {error} — the GPU failed; continue on the CPU</source>
      <translation>표시: {error} — GPU에 오류가 났습니다. CPU에서 계속하세요</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/faults.py" line="126" />
      <source>{what} ran out of GPU memory at step {step} — paused. Choose a smaller batch (or fewer particles, a smaller model) and press Play, or continue on the CPU.</source>
      <translation>{what}: 스텝 {step}에서 GPU 메모리가 부족합니다 — 일시정지했습니다. 더 작은 배치(또는 더 적은 입자, 더 작은 모델)를 고르고 재생을 누르거나, CPU에서 계속하세요.</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/faults.py" line="128" />
      <source>{what} ran out of GPU memory — paused. Choose a smaller batch (or fewer particles, a smaller model) and press Play, or continue on the CPU.</source>
      <translation>{what}: GPU 메모리가 부족합니다 — 일시정지했습니다. 더 작은 배치(또는 더 적은 입자, 더 작은 모델)를 고르고 재생을 누르거나, CPU에서 계속하세요.</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/faults.py" line="131" />
      <source>{what} ran out of memory at step {step} — paused. Choose a smaller batch (or fewer particles, a smaller model) and press Play.</source>
      <translation>{what}: 스텝 {step}에서 메모리가 부족합니다 — 일시정지했습니다. 더 작은 배치(또는 더 적은 입자, 더 작은 모델)를 고르고 재생을 누르세요.</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/faults.py" line="133" />
      <source>{what} ran out of memory — paused. Choose a smaller batch (or fewer particles, a smaller model) and press Play.</source>
      <translation>{what}: 메모리가 부족합니다 — 일시정지했습니다. 더 작은 배치(또는 더 적은 입자, 더 작은 모델)를 고르고 재생을 누르세요.</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/faults.py" line="158" />
      <source>display: out of GPU memory — fewer particles or a coarser arrow grid help, or continue on the CPU</source>
      <translation>표시: GPU 메모리 부족 — 입자 수를 줄이거나 화살표 격자를 성기게 하거나, CPU에서 계속하세요</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/train_relay.py" line="168" />
      <source>the training process stopped ({error}); training continues in the app from step {step}</source>
      <translation>학습 프로세스가 멈췄습니다 ({error}); 스텝 {step}부터 앱 안에서 학습을 이어갑니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/train_relay.py" line="43" />
      <source>training runs in the app's own thread (no training process: {error})</source>
      <translation>학습이 앱 자체 스레드에서 실행됩니다 (학습 프로세스 없음: {error})</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/trainer.py" line="166" />
      <source>no model yet: choose a density that loads</source>
      <translation>아직 모델이 없습니다: 불러올 수 있는 밀도를 선택하세요</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/trainer.py" line="195" />
      <source>reset: a fresh model from the seed; step 0</source>
      <translation>초기화: 시드로 새 모델, 스텝 0</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/trainer.py" line="204" />
      <source>density {name}: training continues from the current model</source>
      <translation>밀도 {name}: 현재 모델에서 학습이 이어집니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/trainer.py" line="229" />
      <source>model {hidden}x{layers} {activation} {parametrization}: a fresh model, step 0</source>
      <translation>모델 {hidden}x{layers} {activation} {parametrization}: 새 모델, 스텝 0</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/trainer.py" line="237" />
      <source>optimiser: lr {lr}, batch {batch}; training continues</source>
      <translation>옵티마이저: 학습률 {lr}, 배치 {batch}; 학습이 이어집니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/trainer.py" line="248" />
      <source>sampler: {sampler}, step size {step_size}, {n} particles, {score}</source>
      <translation>샘플러: {sampler}, 스텝 크기 {step_size}, 입자 {n}개, {score}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/trainer.py" line="262" />
      <source>particles restarted</source>
      <translation>입자를 다시 시작했습니다</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/trainer.py" line="185" />
      <source>one step: step {step}, loss {loss}</source>
      <translation>한 스텝: 스텝 {step}, 손실 {loss}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/trainer.py" line="251" />
      <source>sampler: {sampler}, data noised to the time shown, {n} particles, {score}</source>
      <translation>샘플러: {sampler}, 표시된 시각까지 노이즈를 더한 데이터, 입자 {n}개, {score}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/trainer.py" line="254" />
      <source>sampler: {sampler}, {steps} steps from the prior at t = 1, {n} particles, {score}</source>
      <translation>샘플러: {sampler}, t = 1의 사전 분포에서 {steps} 스텝, 입자 {n}개, {score}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/trainer.py" line="266" />
      <source>device {device}</source>
      <translation>장치 {device}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/trainer.py" line="270" />
      <source>seed {seed}</source>
      <translation>시드 {seed}</translation>
    </message>
    <message>
      <location filename="../../scoreviz/live/trainer.py" line="285" />
      <source>{why}: a fresh model on {device}, step 0</source>
      <translation>{why}: {device}에서 새 모델, 스텝 0</translation>
    </message>
    <message>
      <source>loss (linear: it can be negative)</source>
      <translation type="vanished">손실 (선형: 음수일 수 있음)</translation>
    </message>
    <message>
      <source>Sliced Wasserstein W1: the mean over 64 directions of the 1-D transport distance between ≤ 2000 particles and 2000 exact samples of p, in the density's units; a shift by v reads (2/π)|v|. Exact samples read ~0.04–0.08 (biased upward). Updated every 0.5 s. </source>
      <translation type="vanished">슬라이스 바서슈타인 W1: 입자 ≤ 2000개와 p의 정확한 샘플 2000개 사이의 1차원 수송 거리를 64개 방향에 대해 평균한 값으로, 밀도의 단위입니다. v만큼 이동하면 (2/π)|v|가 됩니다. 정확한 샘플은 ~0.04–0.08(위로 편향). 0.5초마다 갱신합니다. </translation>
    </message>
  </context>
</TS>
